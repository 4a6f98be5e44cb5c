using System.Collections.Concurrent;
using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary><c>pull logs --follow</c>: events arriving while it runs, restarts, Ctrl-C and throttling.</summary>
public sealed class LogsFollowTests
{
    private static readonly DateTimeOffset T0 = AwsTestBed.T0;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static LogsFollowRequest Request(AwsTestBed bed, params string[] groups) => new()
    {
        IncidentId = bed.IncidentId,
        Groups = groups,
        From = T0.AddMinutes(-1),
        PollInterval = TimeSpan.FromMilliseconds(30),
    };

    private static async Task WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for the follow");
            await Task.Delay(10);
        }
    }

    private static async Task<LogsFollower> Follower(AwsTestBed bed) =>
        new(bed.Store, new CloudWatchLogsApi(await bed.ClientAsync(OwnBudget(bed))), TimeProvider.System);

    /// <summary>
    /// Keys of this test alone: the request budget is per key and region for the whole process, and
    /// another test class throttling its pulls must not slow these polls down.
    /// </summary>
    internal static AwsSettings OwnBudget(AwsTestBed bed)
    {
        var key = ("AKIDOWN" + Guid.NewGuid().ToString("N"))[..20].ToUpperInvariant();
        bed.Server.Keys[key] = FakeAwsServer.SecretKey;
        var variables = new Dictionary<string, string?>(bed.Settings.Variables) { ["AWS_ACCESS_KEY_ID"] = key };
        return bed.Settings with { Variables = variables };
    }

    [Fact]
    public async Task Events_arriving_while_following_are_shown_once_each_and_everything_shown_is_stored()
    {
        await using var bed = new AwsTestBed();
        var first = FakeAwsServer.MakeEvents("/ecs/api", 5, T0).ToList();
        bed.Server.AddLogEvents("/ecs/api", first);
        bed.Server.AddLogEvents("/ecs/mlflow", []);
        var shown = new ConcurrentQueue<Evidence>();
        using var stop = new CancellationTokenSource();

        var running = (await Follower(bed)).FollowAsync(Request(bed, "/ecs/api", "/ecs/mlflow"), shown.Enqueue, null, stop.Token);
        await WaitFor(() => shown.Count == 5);
        // New lines arrive in both groups while the follow runs, one of them carrying a secret.
        var later = FakeAwsServer.MakeEvents("/ecs/api", 3, T0.AddMinutes(5)).ToList();
        bed.Server.AddLogEvents("/ecs/api", later);
        bed.Server.AddLogEvents("/ecs/mlflow", FakeAwsServer.MakeEvents("/ecs/mlflow", 2, T0.AddMinutes(6), "m/1", i => $"login password=hunter{i}2 failed"));
        await WaitFor(() => shown.Count == 10);
        // Two more polls of both groups, which must show nothing again.
        var polled = bed.Server.Count("FilterLogEvents");
        await WaitFor(() => bed.Server.Count("FilterLogEvents") >= polled + 4);
        await stop.CancelAsync();
        var result = await running;

        Assert.Equal(FollowEnd.Cancelled, result.EndedBy);
        Assert.Equal(10, shown.Count);
        Assert.Equal(10, result.Added);
        Assert.True(result.Polls >= 3, $"expected several polls, got {result.Polls}");
        var stored = bed.Evidence();
        Assert.Equal(shown.Select(e => e.Number).Order(), stored.Select(e => e.Number).Order());
        Assert.Equal(first.Concat(later).Select(e => e.EventId).ToHashSet(),
            stored.Where(e => e.Source == "/ecs/api").Select(e => e.Attributes[EvidenceAttributes.EventId]).ToHashSet());
        // What is shown is what is stored: redacted.
        var secret = shown.First(e => e.Source == "/ecs/mlflow");
        Assert.Equal("login password=[REDACTED] failed", secret.Content);
        Assert.Equal($"2025-08-20T13:06:00.000Z /ecs/mlflow/m/1 login password=[REDACTED] failed", LogsFollower.FormatLine(secret));
    }

    [Fact]
    public async Task A_follow_started_again_resumes_after_the_newest_event_and_shows_nothing_twice()
    {
        await using var bed = new AwsTestBed();
        bed.Server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 4, T0));
        var shown = new ConcurrentQueue<Evidence>();
        using (var stop = new CancellationTokenSource())
        {
            var running = (await Follower(bed)).FollowAsync(Request(bed, "/ecs/api"), shown.Enqueue, null, stop.Token);
            await WaitFor(() => shown.Count == 4);
            await stop.CancelAsync();
            await running;
        }

        // The process ends; events go on arriving; a new process follows the same group again.
        bed.CloseStore();
        bed.Server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 2, T0.AddMinutes(2)));
        bed.ReopenStore();
        var again = new ConcurrentQueue<Evidence>();
        using (var stop = new CancellationTokenSource())
        {
            var running = (await Follower(bed)).FollowAsync(Request(bed, "/ecs/api"), again.Enqueue, null, stop.Token);
            await WaitFor(() => again.Count == 2);
            var polled = bed.Server.Count("FilterLogEvents");
            await WaitFor(() => bed.Server.Count("FilterLogEvents") >= polled + 2);
            await stop.CancelAsync();
            var result = await running;

            Assert.Equal(2, again.Count);
            Assert.All(again, e => Assert.True(e.Time >= T0.AddMinutes(2)));
            // Resumed at the newest stored event: only that one event comes again (and is skipped), not all four.
            Assert.Equal(result.Polls, result.Skipped);
        }
        Assert.Equal(6, bed.Evidence().Count);
    }

    [Fact]
    public async Task Throttling_during_a_follow_is_waited_out_and_loses_nothing()
    {
        await using var bed = new AwsTestBed();
        bed.Server.PageSize = 5;
        var events = FakeAwsServer.MakeEvents("/app", 60, T0).ToList();
        bed.Server.AddLogEvents("/app", events.Take(30));
        bed.Server.Faults.ThrottleRate = 0.5;
        var shown = new ConcurrentQueue<Evidence>();
        using var stop = new CancellationTokenSource();

        var running = (await Follower(bed)).FollowAsync(Request(bed, "/app"), shown.Enqueue, null, stop.Token);
        await WaitFor(() => shown.Count == 30);
        bed.Server.AddLogEvents("/app", events.Skip(30));
        await WaitFor(() => shown.Count == 60);
        await stop.CancelAsync();
        var result = await running;

        Assert.True(result.Throttles > 0, "the fake should have throttled some polls");
        Assert.Equal(events.Select(e => e.EventId).ToHashSet(), shown.Select(e => e.Attributes[EvidenceAttributes.EventId]).ToHashSet());
        Assert.Equal(60, shown.Count);
        Assert.Equal(60, bed.Evidence().Count);
    }

    [Fact]
    public async Task Ctrl_c_ends_the_command_with_a_summary_and_every_printed_line_is_stored()
    {
        await using var server = new FakeAwsServer();
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 3, T0));
        using var h = Harness(server);
        var id = h.Run("new", "Registry 504", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        using var ctrlC = new CancellationTokenSource();

        var run = h.RunAsync(null, ctrlC.Token, "pull", "logs", id, "--group", "/ecs/api", "--follow", "--since", "3h", "--poll-every", "50ms");
        await Task.Delay(400);
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 2, T0.AddMinutes(30)));
        var polled = server.Count("FilterLogEvents");
        await WaitFor(() => server.Count("FilterLogEvents") >= polled + 3);
        await ctrlC.CancelAsync();
        var done = await run;

        Assert.Equal(0, done.ExitCode);
        var lines = done.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("2025-08-20T13:00:00.000Z /ecs/api/api/abc /ecs/api line 0", lines[0]);
        Assert.StartsWith($"Followed 1 log group(s) for ", lines[^1]);
        Assert.Contains($"(stopped): 5 new event(s) stored in {id}", lines[^1]);
        var stored = h.Run("evidence", "list", id, "--json").ShouldSucceed().Json.EnumerateArray().Select(e => e.GetProperty("content").GetString()).ToList();
        Assert.Equal(lines[..^1].Select(l => l.Split(' ', 3)[2]).Order(), stored.Order());
    }

    [Fact]
    public async Task Until_a_time_already_reached_polls_once_and_stops()
    {
        await using var server = new FakeAwsServer();
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 3, T0));
        using var h = Harness(server);
        var id = h.Run("new", "Registry 504", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;

        var run = h.Run("pull", "logs", id, "--group", "/ecs/api", "--follow", "--since", "3h", "--until", "2025-08-20T15:00:00Z", "--json").ShouldSucceed();

        var events = run.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(3, events.Length);
        Assert.All(events, e => Assert.StartsWith("{\"incidentId\":", e));
        Assert.Contains("(reached 2025-08-20T15:00:00Z): 3 new event(s)", run.Error);
        Assert.Equal(1, server.Count("FilterLogEvents"));

        var bad = h.Run("pull", "logs", id, "--group", "/ecs/api", "--for", "30m");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("incidents: error: invalid --for '30m': it only applies with --follow\n", bad.Error);
    }

    private static CliHarness Harness(FakeAwsServer server)
    {
        var h = new CliHarness(T0.AddHours(2));
        h.Variables["AWS_ACCESS_KEY_ID"] = FakeAwsServer.AccessKey;
        h.Variables["AWS_SECRET_ACCESS_KEY"] = FakeAwsServer.SecretKey;
        h.Variables["AWS_REGION"] = server.Region;
        h.Variables["AWS_ENDPOINT_URL"] = server.Endpoint.ToString();
        return h;
    }
}
