using System.Diagnostics;
using System.Text.Json;
using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary>
/// Every pull ends: requests that keep failing or being throttled are given up after --max-wait, with
/// what was stored kept and a checkpoint the next run resumes from. Each test has a region of its own,
/// so its throttles slow no other test's request budget.
/// </summary>
public sealed class PullDeadlineTests
{
    private const string Group = "/ecs/hokusai-mlflow-development";

    [Fact]
    public async Task Constant_throttling_stops_the_pull_within_max_wait_keeping_what_was_stored_and_the_next_run_resumes()
    {
        await using var bed = new AwsTestBed();
        bed.Server.Region = "eu-north-1";
        // The repeated events of the sample, so the stop also falls between identical events.
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "get-log-events-repeated.json")));
        var events = sample.RootElement.GetProperty("events").EnumerateArray().Select((e, i) => new FakeLogEvent("mlflow/abc",
            e.GetProperty("timestamp").GetInt64(), e.GetProperty("message").GetString()!, $"3915093479{i:D46}", e.GetProperty("ingestionTime").GetInt64())).ToList();
        bed.Server.AddLogEvents(Group, events);
        bed.Server.PageSize = 3;
        bed.Server.Faults.ThrottleEverythingAfter = 2;
        var settings = bed.Settings with { MaxWait = TimeSpan.FromMilliseconds(800) };

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<AwsException>(async () => await (await bed.LogsPullerAsync(settings)).PullAsync(bed.Request(Group), null, default));
        var took = watch.Elapsed;

        Assert.StartsWith($"log group '{Group}': ThrottlingException: CloudWatch Logs FilterLogEvents throttled for ", e.Message);
        Assert.Contains("giving up at --max-wait 800 ms (Rate exceeded); what was stored is kept and running the same command again resumes", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(5, e.ExitCode);
        // A timer fires late, never early; how late depends on the machine's load (CI shares its cores),
        // so the upper bounds only say the pull ended instead of retrying forever.
        Assert.InRange(e.GaveUpAfter!.Value, TimeSpan.FromMilliseconds(300), settings.MaxWait + TimeSpan.FromSeconds(20));
        Assert.True(took < TimeSpan.FromSeconds(60), $"gave up after {took}");
        Assert.Equal(6, bed.Store.CountEvidence(bed.IncidentId));

        bed.Server.Faults.ThrottleEverythingAfter = null;
        var resumed = await (await bed.LogsPullerAsync(settings)).PullAsync(bed.Request(Group), null, default);

        Assert.Equal((1, 6L), (resumed.ResumedGroups, resumed.Added));
        Assert.Equal(12, bed.Store.CountEvidence(bed.IncidentId));
        Assert.Equal(10, bed.Evidence().Count(x => x.Content.StartsWith("psycopg2.OperationalError", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task On_a_terminal_the_wait_is_shown_and_the_error_is_one_line_with_the_resource_and_time_tried()
    {
        await using var server = new FakeAwsServer { Region = "ca-central-1" };
        server.AddLogEvents(Group, FakeAwsServer.MakeEvents(Group, 5, AwsTestBed.T0, "mlflow/abc"));
        server.Faults.ThrottleEverythingAfter = 0;
        using var h = new CliHarness(AwsTestBed.T0.AddHours(2));
        h.Variables["AWS_ACCESS_KEY_ID"] = FakeAwsServer.AccessKey;
        h.Variables["AWS_SECRET_ACCESS_KEY"] = FakeAwsServer.SecretKey;
        h.Variables["AWS_REGION"] = server.Region;
        h.Variables["AWS_ENDPOINT_URL"] = server.Endpoint.ToString();
        var id = h.Run("new", "Registry outage", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;

        var piped = h.Run("pull", "logs", id, "--group", Group, "--since", "3h", "--max-wait", "1s");
        h.ErrorIsTerminal = true;
        var shown = h.Run("pull", "logs", id, "--group", Group, "--since", "3h", "--max-wait", "1500ms");
        var bad = h.Run("pull", "logs", id, "--group", Group, "--max-wait", "soon");

        Assert.Equal(5, piped.ExitCode);
        Assert.Single(piped.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"incidents: error: log group '{Group}': ThrottlingException: CloudWatch Logs FilterLogEvents throttled for ", piped.Error);
        Assert.Contains("giving up at --max-wait 1 s", piped.Error);
        Assert.Equal(5, shown.ExitCode);
        Assert.Contains("FilterLogEvents throttled, retrying in ", shown.Error);
        Assert.Equal((2, "incidents: error: invalid --max-wait 'soon': expected a duration such as 30s, 10m or 1h\n"), (bad.ExitCode, bad.Error));
    }

    [Fact]
    public async Task With_no_credentials_anywhere_the_error_is_one_short_line_naming_what_was_tried()
    {
        await using var server = new FakeAwsServer();
        // The SDK's last resort is the EC2 instance metadata endpoint; a test must not wait on the network.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        using var h = new CliHarness(AwsTestBed.T0);
        h.Variables["AWS_REGION"] = server.Region;
        h.Variables["AWS_ENDPOINT_URL"] = server.Endpoint.ToString();
        h.Variables["AWS_SHARED_CREDENTIALS_FILE"] = h.PathOf("none-credentials");
        h.Variables["AWS_CONFIG_FILE"] = h.PathOf("none-config");
        h.Variables["HOME"] = h.Directory;
        var id = h.Run("new", "Registry outage", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;

        var run = h.Run("pull", "logs", id, "--group", Group, "--since", "1h");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("incidents: error: no AWS credentials found; tried AWS_ACCESS_KEY_ID, profile 'default' in ", line);
        Assert.EndsWith("web identity, container and instance roles (details with --verbose)", line);
        Assert.True(line.Length < 300, line);
    }
}
