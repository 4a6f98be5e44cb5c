using System.Collections.Concurrent;
using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary><c>pull insights</c>: Logs Insights queries against the fake's StartQuery / GetQueryResults / StopQuery.</summary>
public sealed class InsightsTests
{
    private static readonly DateTimeOffset T0 = AwsTestBed.T0;
    private const string ErrorQuery = "fields @timestamp, @message, @logStream, @log | filter @message like /ERROR/ | sort @timestamp desc | limit 6";

    private static void Seed(FakeAwsServer server)
    {
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 20, T0, "api/1", i => i % 4 == 0 ? $"ERROR worker {i} exited" : $"GET /health {i}"));
        server.AddLogEvents("/ecs/mlflow", FakeAwsServer.MakeEvents("/ecs/mlflow", 5, T0, "mlflow/1", i => $"ERROR mlflow {i} token=abc{i}23"));
    }

    private static InsightsQueryRequest Request(AwsTestBed bed, string query, params string[] groups) => new()
    {
        IncidentId = bed.IncidentId,
        Groups = groups,
        QueryString = query,
        Window = new TimeWindow(T0.AddMinutes(-5), T0.AddHours(1)),
        PollInterval = TimeSpan.FromMilliseconds(5),
        Supports = ["H1"],
    };

    [Fact]
    public async Task A_query_runs_through_scheduled_and_running_to_complete_and_each_row_is_stored_with_its_fields()
    {
        await using var bed = new AwsTestBed();
        Seed(bed.Server);
        var runner = new InsightsQueryRunner(bed.Store, new LogsInsightsApi(await bed.ClientAsync()), TimeProvider.System);
        var seen = new ConcurrentQueue<InsightsProgress>();

        var result = await runner.RunAsync(Request(bed, ErrorQuery, "/ecs/api", "/ecs/mlflow"), new InlineProgress<InsightsProgress>(seen.Enqueue), default);

        Assert.Equal(["Scheduled", "Running", "Complete"], seen.Select(p => p.Status));
        Assert.Equal(3, seen.ToList()[1].Rows); // partial results while running
        Assert.Equal(6, result.Rows);
        Assert.Equal(6, result.Added);
        // 5 ERROR lines in /ecs/api (0, 4, 8, 12, 16) and 5 in /ecs/mlflow, of 25 lines scanned.
        Assert.Equal(new InsightsStatistics(10, 25, result.Statistics.BytesScanned), result.Statistics);
        var rows = bed.Evidence().Where(e => e.Title!.StartsWith("Logs Insights row", StringComparison.Ordinal)).OrderBy(e => e.Number).ToList();
        Assert.Equal(6, rows.Count);
        // Newest first: /ecs/api lines 16, 12, 8, then the two at T0+4s (mlflow 4, api 4) and mlflow 3.
        var first = rows[0];
        Assert.Equal(EvidenceKind.LogExcerpt, first.Kind);
        Assert.Equal("ERROR worker 16 exited", first.Content);
        Assert.Equal(T0.AddSeconds(16), first.Time);
        Assert.Equal("/ecs/api", first.Source);
        Assert.Equal("2025-08-20 13:00:16.000", first.Attributes["field:@timestamp"]);
        Assert.Equal("api/1", first.Attributes[EvidenceAttributes.LogStream]);
        Assert.Equal("123456789012:/ecs/api", first.Attributes["field:@log"]);
        Assert.True(first.Attributes.ContainsKey("field:@ptr"));
        Assert.Equal(["H1"], first.Supports);
        Assert.Contains(rows, r => r.Content == "ERROR mlflow 4 token=[REDACTED]");

        var query = bed.Evidence().Single(e => e.Title == "CloudWatch Logs Insights query");
        Assert.Equal(result.SummaryNumber, query.Number);
        Assert.Equal(ErrorQuery, query.Attributes[InsightsQueryRunner.QueryAttribute]);
        Assert.Equal("/ecs/api,/ecs/mlflow", query.Attributes["logGroups"]);
        Assert.Equal("2025-08-20T12:55:00Z", query.Attributes["windowStart"]);
        Assert.Equal("10", query.Attributes["recordsMatched"]);
        Assert.Equal("25", query.Attributes["recordsScanned"]);
        Assert.StartsWith(ErrorQuery + "\n\nlog groups: /ecs/api, /ecs/mlflow\nwindow: 2025-08-20T12:55:00Z .. 2025-08-20T14:00:00Z\nrows: 6;", query.Content);

        // The same query over the same window again: nothing new.
        var again = await runner.RunAsync(Request(bed, ErrorQuery, "/ecs/api", "/ecs/mlflow"), null, default);
        Assert.Equal((0L, 6L), (again.Added, again.Skipped));
        Assert.Equal(7, bed.Evidence().Count);
    }

    [Fact]
    public async Task An_aggregate_row_is_stored_as_query_output_with_its_fields()
    {
        await using var bed = new AwsTestBed();
        Seed(bed.Server);
        var runner = new InsightsQueryRunner(bed.Store, new LogsInsightsApi(await bed.ClientAsync()), TimeProvider.System);

        var result = await runner.RunAsync(Request(bed, "filter @message like /ERROR/ | stats count(*)", "/ecs/api"), null, default);

        Assert.Equal(1, result.Rows);
        var row = bed.Evidence().Single(e => e.Title == "Logs Insights row 1");
        Assert.Equal(EvidenceKind.CommandOutput, row.Kind);
        Assert.Equal("count(*): 5", row.Content);
        Assert.Equal("5", row.Attributes["field:count(*)"]);
    }

    [Fact]
    public async Task Failed_timed_out_and_malformed_queries_are_one_line_errors_with_the_aws_code_and_store_nothing()
    {
        await using var server = new FakeAwsServer();
        Seed(server);
        using var h = Harness(server);
        var id = h.Run("new", "Registry 504", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;

        server.InsightsFinalStatus = "Failed";
        var failed = h.Run("pull", "insights", id, "--group", "/ecs/api", "--query", ErrorQuery, "--since", "3h");
        Assert.Equal(5, failed.ExitCode);
        Assert.Matches(@"^incidents: error: Logs Insights query on /ecs/api \([0-9a-f-]{36}\): Failed: the service could not run the query\n$", failed.Error);

        server.InsightsFinalStatus = "Timeout";
        var timedOut = h.Run("pull", "insights", id, "--group", "/ecs/api", "--query", ErrorQuery, "--since", "3h");
        Assert.Equal(5, timedOut.ExitCode);
        Assert.Contains("): Timeout: the query ran past the service's time limit", timedOut.Error);

        var malformed = h.Run("pull", "insights", id, "--group", "/ecs/api", "--query", "fields @message | frobnicate @message", "--since", "3h");
        Assert.Equal(5, malformed.ExitCode);
        Assert.Equal("incidents: error: Logs Insights query on /ecs/api: MalformedQueryException: unexpected symbol found frobnicate at line 1 and position 19\n",
            malformed.Error);

        var missing = h.Run("pull", "insights", id, "--group", "/ecs/none", "--query", ErrorQuery, "--since", "3h");
        Assert.Equal("incidents: error: Logs Insights query on /ecs/none: ResourceNotFoundException: Log group '/ecs/none' does not exist for account ID '123456789012'\n",
            missing.Error);
        Assert.Equal(0, h.Run("evidence", "list", id, "--json").ShouldSucceed().Json.GetArrayLength());

        server.InsightsFinalStatus = "Complete";
        var ok = h.Run("pull", "insights", id, "--group", "/ecs/api", "--query", ErrorQuery, "--since", "3h", "--json").ShouldSucceed();
        Assert.Equal("Complete", ok.Json.GetProperty("status").GetString());
        Assert.Equal(5, ok.Json.GetProperty("added").GetInt64());
        Assert.Equal(6, h.Run("evidence", "list", id, "--json").ShouldSucceed().Json.GetArrayLength());
    }

    [Fact]
    public async Task Ctrl_c_while_the_query_runs_stops_it_on_the_service()
    {
        await using var server = new FakeAwsServer();
        Seed(server);
        server.InsightsPollsToFinish = int.MaxValue;
        using var h = Harness(server);
        var id = h.Run("new", "Registry 504", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        using var ctrlC = new CancellationTokenSource();

        var run = h.RunAsync(null, ctrlC.Token, "pull", "insights", id, "--group", "/ecs/api", "--query", ErrorQuery, "--since", "3h");
        var until = DateTime.UtcNow.AddSeconds(10);
        while (server.Count("GetQueryResults") < 3 && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }
        await ctrlC.CancelAsync();
        var done = await run;

        Assert.Equal(130, done.ExitCode);
        Assert.Equal(1, server.Count("StopQuery"));
        Assert.Equal("Cancelled", Assert.Single(server.Queries.Values).Status);
        Assert.Equal(0, h.Run("evidence", "list", id, "--json").ShouldSucceed().Json.GetArrayLength());
    }

    private static CliHarness Harness(FakeAwsServer server)
    {
        var h = new CliHarness(T0.AddHours(2));
        h.Variables["AWS_ACCESS_KEY_ID"] = FakeAwsServer.AccessKey;
        h.Variables["AWS_SECRET_ACCESS_KEY"] = FakeAwsServer.SecretKey;
        h.Variables["AWS_REGION"] = server.Region;
        h.Variables["AWS_ENDPOINT_URL"] = server.Endpoint.ToString();
        h.Variables["HOKUSAI_INCIDENTS_INSIGHTS_POLL"] = "10ms";
        return h;
    }
}
