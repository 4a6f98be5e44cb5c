using System.Globalization;
using Hokusai.Incidents.Aws.Tests.Fakes;

namespace Hokusai.Incidents.Aws.Tests;

public sealed class AttachTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    private static Task<AttachResult> Attach(AwsTestBed bed, string path, string? group = null, string? stream = null) =>
        AwsCliFile.AttachAsync(bed.Store, path, new AttachOptions { IncidentId = bed.IncidentId, Group = group, Stream = stream }, TimeProvider.System, default);

    [Fact]
    public async Task Filter_log_events_output_becomes_log_evidence_and_deduplicates_with_a_pull_of_the_same_events()
    {
        await using var bed = new AwsTestBed();

        var result = await Attach(bed, Sample("filter-log-events.json"), group: "/ecs/hokusai-api-development");

        Assert.Equal(AwsCliShape.FilterLogEvents, result.Shape);
        Assert.Equal(3, result.Added);
        var e = bed.Evidence()[0];
        Assert.Equal("/ecs/hokusai-api-development", e.Source);
        Assert.Equal(DateTimeOffset.Parse("2025-08-20T13:44:17.848Z", CultureInfo.InvariantCulture), e.Time);
        Assert.Equal("39150934521117023577409372928012409881307716437011660800", e.Attributes[EvidenceAttributes.EventId]);
        Assert.DoesNotContain("hk_live_9c8b7a6f5e4d3c2b1a00", bed.Evidence()[2].Content);

        // The same event pulled from the service is the same evidence.
        bed.Server.AddLogEvents("/ecs/hokusai-api-development",
            [new FakeLogEvent("ecs/hokusai-api/3f1c2a9b8d7e4f60a1b2c3d4e5f60718", 1755697457848, "SyntaxError: '(' was never closed (models.py, line 212)", "39150934521117023577409372928012409881307716437011660800", 1755697458001)]);
        var pulled = await (await bed.LogsPullerAsync()).PullAsync(bed.Request("/ecs/hokusai-api-development") with
        {
            Window = new TimeWindow(DateTimeOffset.FromUnixTimeMilliseconds(1755697400000), DateTimeOffset.FromUnixTimeMilliseconds(1755697500000)),
        }, null, default);
        Assert.Equal(0, pulled.Added);
        Assert.Equal(3, bed.Store.CountEvidence(bed.IncidentId));
    }

    [Fact]
    public async Task Get_log_events_output_uses_the_given_group_and_stream_and_is_idempotent()
    {
        await using var bed = new AwsTestBed();

        var first = await Attach(bed, Sample("get-log-events.json"), "/ecs/hokusai-mlflow-development", "mlflow/abc");
        var second = await Attach(bed, Sample("get-log-events.json"), "/ecs/hokusai-mlflow-development", "mlflow/abc");

        Assert.Equal(AwsCliShape.GetLogEvents, first.Shape);
        Assert.Equal(2, first.Added);
        Assert.Equal(0, second.Added);
        var e = bed.Evidence()[0];
        Assert.Equal("mlflow/abc", e.Attributes[EvidenceAttributes.LogStream]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1755697461000), e.Time);
        Assert.Contains("password authentication failed", e.Content);
    }

    [Fact]
    public async Task Describe_services_output_gives_events_deployment_and_counts_with_iso_times()
    {
        await using var bed = new AwsTestBed();

        var result = await Attach(bed, Sample("describe-services.json"));

        Assert.Equal(AwsCliShape.DescribeServices, result.Shape);
        var stored = bed.Evidence();
        Assert.Equal(4, stored.Count);
        Assert.All(stored, e => Assert.Equal("hokusai-development", e.Attributes[EvidenceAttributes.Cluster]));
        Assert.Equal(DateTimeOffset.Parse("2025-08-20T13:44:17.848Z", CultureInfo.InvariantCulture),
            stored.Single(e => e.Attributes.GetValueOrDefault(EvidenceAttributes.EventId) == "5d2f4c1e-8a7b-4c3d-9e0f-1a2b3c4d5e6f").Time);
        Assert.Contains("rollout IN_PROGRESS", stored.Single(e => e.Title == "deployment").Content);
    }

    [Fact]
    public async Task Describe_tasks_output_gives_the_stop_code_reason_and_exit_codes()
    {
        await using var bed = new AwsTestBed();

        var result = await Attach(bed, Sample("describe-tasks.json"));

        Assert.Equal(AwsCliShape.DescribeTasks, result.Shape);
        var task = Assert.Single(bed.Evidence());
        Assert.Equal("EssentialContainerExited", task.Attributes[EvidenceAttributes.StopCode]);
        Assert.Equal("hokusai-api-development", task.Attributes[EvidenceAttributes.Service]);
        Assert.Contains("container api STOPPED exit code 1: SyntaxError in models.py", task.Content);
        Assert.Equal(DateTimeOffset.Parse("2025-08-20T13:43:55.301Z", CultureInfo.InvariantCulture), task.Time);
    }

    [Theory]
    [InlineData("{\"clusters\": []}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"events\": [{\"foo\": 1}]}")]
    public async Task An_unknown_shape_is_a_clear_error_that_stores_nothing(string json)
    {
        await using var bed = new AwsTestBed();
        var path = Path.Combine(bed.Directory, "odd.json");
        await File.WriteAllTextAsync(path, json);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Attach(bed, path));

        Assert.StartsWith(path + ": not AWS CLI output", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(bed.Evidence());
    }

    [Fact]
    public void Ecs_times_in_e_notation_plain_seconds_and_iso_text_agree()
    {
        var expected = DateTimeOffset.Parse("2025-08-20T13:44:17.848Z", CultureInfo.InvariantCulture);
        foreach (var raw in new[] { "1.755697457848E9", "1.755697457848e+9", "1755697457.848", "\"2025-08-20T13:44:17.848000+00:00\"", "\"1.755697457848E9\"" })
        {
            using var doc = System.Text.Json.JsonDocument.Parse(raw);
            Assert.Equal(expected, AwsTime.FromSeconds(doc.RootElement));
        }
    }
}
