using Hokusai.Incidents.Aws.Tests.Fakes;

namespace Hokusai.Incidents.Aws.Tests;

public sealed class LogsPullTests
{
    private static readonly DateTimeOffset T0 = AwsTestBed.T0;

    private static HashSet<string> Ids(IEnumerable<FakeLogEvent> events) => [.. events.Select(e => e.EventId)];

    private static List<string> StoredIds(AwsTestBed bed) =>
        [.. bed.Evidence().Select(e => e.Attributes[EvidenceAttributes.EventId])];

    [Fact]
    public async Task Multi_page_multi_group_pull_stores_exactly_the_events_of_every_group()
    {
        await using var bed = new AwsTestBed();
        var api = FakeAwsServer.MakeEvents("/ecs/hokusai-api-development", 350, T0).ToList();
        var mlflow = FakeAwsServer.MakeEvents("/ecs/hokusai-mlflow-development", 120, T0, "mlflow/x").ToList();
        bed.Server.AddLogEvents("/ecs/hokusai-api-development", api);
        bed.Server.AddLogEvents("/ecs/hokusai-mlflow-development", mlflow);

        var result = await (await bed.LogsPullerAsync()).PullAsync(bed.Request("/ecs/hokusai-api-development", "/ecs/hokusai-mlflow-development"), null, default);

        var stored = StoredIds(bed);
        Assert.Equal(470, stored.Count);
        Assert.Equal(Ids(api.Concat(mlflow)), stored.ToHashSet());
        Assert.Equal(470, result.Added);
        Assert.Equal(4 + 2, result.Pages);
        var e = bed.Evidence().Single(x => x.Attributes[EvidenceAttributes.EventId] == mlflow[7].EventId);
        Assert.Equal(EvidenceKind.LogExcerpt, e.Kind);
        Assert.Equal("/ecs/hokusai-mlflow-development", e.Attributes[EvidenceAttributes.LogGroup]);
        Assert.Equal("mlflow/x", e.Attributes[EvidenceAttributes.LogStream]);
        Assert.Equal(T0.AddSeconds(7), e.Time);
        Assert.Equal(TimeInput.Format(T0.AddSeconds(7).AddMilliseconds(150)), e.Attributes[EvidenceAttributes.IngestionTime]);
        Assert.Equal("/ecs/hokusai-mlflow-development line 7", e.Content);
    }

    [Fact]
    public async Task Thirty_percent_throttling_with_errors_resets_truncation_and_empty_pages_still_gives_the_exact_set()
    {
        await using var bed = new AwsTestBed();
        var events = FakeAwsServer.MakeEvents("/app", 1000, T0).ToList();
        bed.Server.AddLogEvents("/app", events);
        bed.Server.Faults.ThrottleRate = 0.3;
        bed.Server.PageSize = 25;
        bed.Server.Faults.ServerErrorRate = 0.08;
        bed.Server.Faults.TruncateRate = 0.05;
        bed.Server.Faults.ResetRate = 0.03;
        bed.Server.Faults.EmptyPageRate = 0.2;

        var result = await (await bed.LogsPullerAsync()).PullAsync(bed.Request("/app"), null, default);

        var stored = StoredIds(bed);
        Assert.Equal(1000, stored.Count);
        Assert.Equal(Ids(events), stored.ToHashSet());
        Assert.True(result.Throttles > 0, "the fake should have throttled some requests");
        Assert.Contains(bed.Server.Requests, r => r.Status == 500);
    }

    [Fact]
    public async Task Pulling_the_same_window_again_stores_nothing_twice()
    {
        await using var bed = new AwsTestBed();
        bed.Server.AddLogEvents("/app", FakeAwsServer.MakeEvents("/app", 250, T0));
        var puller = await bed.LogsPullerAsync();

        var first = await puller.PullAsync(bed.Request("/app"), null, default);
        var second = await puller.PullAsync(bed.Request("/app"), null, default);

        Assert.Equal(250, first.Added);
        Assert.Equal(0, second.Added);
        Assert.Equal(250, second.Skipped);
        Assert.Equal(250, bed.Store.CountEvidence(bed.IncidentId));
    }

    [Fact]
    public async Task An_interrupted_pull_keeps_what_it_stored_and_continues_from_its_checkpoint()
    {
        await using var bed = new AwsTestBed();
        var events = FakeAwsServer.MakeEvents("/app", 1000, T0).ToList();
        bed.Server.AddLogEvents("/app", events);
        bed.Server.Faults.Latency = TimeSpan.FromMilliseconds(5);
        var puller = await bed.LogsPullerAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(p =>
        {
            if (p.Pages == 3)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => puller.PullAsync(bed.Request("/app"), progress, cancel.Token));
        var afterCancel = bed.Store.CountEvidence(bed.IncidentId);
        Assert.InRange(afterCancel, 300, 999);
        var requestsBefore = bed.Server.Count("FilterLogEvents");

        var resumed = await puller.PullAsync(bed.Request("/app"), null, default);

        Assert.Equal(1, resumed.ResumedGroups);
        var stored = StoredIds(bed);
        Assert.Equal(1000, stored.Count);
        Assert.Equal(Ids(events), stored.ToHashSet());
        // The second run starts at the saved token, not at page one: at most one page is fetched again.
        var pagesAgain = bed.Server.Count("FilterLogEvents") - requestsBefore;
        Assert.InRange(pagesAgain, 1, 10 - (afterCancel / 100) + 1);
        Assert.True(resumed.Skipped <= 100 * 3, $"re-fetched {resumed.Skipped} already-stored events");
        Assert.Equal(1000 - afterCancel, resumed.Added);
    }

    [Fact]
    public async Task Limit_window_stream_prefix_and_filter_select_what_is_stored()
    {
        await using var bed = new AwsTestBed();
        bed.Server.AddLogEvents("/app", FakeAwsServer.MakeEvents("/app", 300, T0, "api/1", i => i % 3 == 0 ? $"ERROR request {i} failed" : $"INFO request {i}"));
        bed.Server.AddLogEvents("/app", FakeAwsServer.MakeEvents("/app", 50, T0, "worker/1", i => $"ERROR worker {i}"));
        var puller = await bed.LogsPullerAsync();

        var result = await puller.PullAsync(bed.Request("/app") with
        {
            StreamPrefix = "api/",
            FilterPattern = "ERROR",
            Window = new TimeWindow(T0.AddSeconds(30), T0.AddSeconds(269)),
            Limit = 50,
        }, null, default);

        var stored = bed.Evidence();
        Assert.Equal(50, result.Events);
        Assert.Equal(50, stored.Count);
        Assert.All(stored, e => Assert.StartsWith("ERROR request", e.Content));
        Assert.All(stored, e => Assert.Equal("api/1", e.Attributes[EvidenceAttributes.LogStream]));
        Assert.Equal(T0.AddSeconds(30), stored.Min(e => e.Time));
        Assert.Equal(T0.AddSeconds(177), stored.Max(e => e.Time));
    }

    [Fact]
    public async Task Every_secret_kind_in_a_pulled_message_is_redacted_before_it_reaches_the_database_file()
    {
        await using var bed = new AwsTestBed();
        string[] secrets =
        [
            "hk_live_4f9a8b7c6d5e4f3a2b1c",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "eyJhbGciOiJIUzI1NiJ9tokenvalue0123456789",
            "s3cr3t-db-pass",
            "hunter2hunter2",
        ];
        string[] lines =
        [
            $"calling registry with api key {secrets[0]}",
            $"boto3 using access key {secrets[1]} for s3",
            $"aws_secret {secrets[2]} loaded",
            $"Authorization: Bearer {secrets[3]}",
            $"connecting to postgresql://mlflow:{secrets[4]}@db.internal:5432/mlflow",
            $"login failed password={secrets[5]} user=admin",
        ];
        bed.Server.AddLogEvents("/app", FakeAwsServer.MakeEvents("/app", lines.Length, T0, message: i => lines[i]));

        await (await bed.LogsPullerAsync()).PullAsync(bed.Request("/app"), null, default);

        var stored = bed.Evidence();
        Assert.Equal(lines.Length, stored.Count);
        Assert.All(stored, e => Assert.Contains(Redaction.Redactor.Mark, e.Content));
        bed.CloseStore();
        var bytes = string.Concat(System.IO.Directory.GetFiles(bed.Directory).Select(f => System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.Contains("connecting to postgresql", bytes);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, bytes);
        }
        bed.ReopenStore();
    }

    [Fact]
    public async Task An_expired_saved_token_restarts_the_group_without_losing_or_duplicating_events()
    {
        await using var bed = new AwsTestBed();
        var events = FakeAwsServer.MakeEvents("/app", 230, T0).ToList();
        bed.Server.AddLogEvents("/app", events);
        var request = bed.Request("/app");
        bed.Store.SetCheckpoint(LogsPuller.CheckpointKey(request, "/app"), "bm90LWEtdG9rZW4=");

        var result = await (await bed.LogsPullerAsync()).PullAsync(request, null, default);

        Assert.Equal(230, result.Added);
        Assert.Equal(Ids(events), StoredIds(bed).ToHashSet());
        Assert.Null(bed.Store.GetCheckpoint(LogsPuller.CheckpointKey(request, "/app")));
    }

    [Fact]
    public async Task Fetching_overlaps_with_storing()
    {
        await using var bed = new AwsTestBed();
        bed.Server.AddLogEvents("/app", FakeAwsServer.MakeEvents("/app", 2000, T0));
        bed.Server.Faults.Latency = TimeSpan.FromMilliseconds(30);

        var result = await (await bed.LogsPullerAsync()).PullAsync(bed.Request("/app"), null, default);

        Assert.Equal(2000, result.Added);
        // Functional check only (timings are the benchmark's job): both sides did real work.
        Assert.True(result.FetchTime > TimeSpan.Zero && result.StoreTime > TimeSpan.Zero);
        Assert.Equal(20, result.Pages);
    }

    private sealed class Progress(Action<PullProgress> action) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => action(value);
    }
}
