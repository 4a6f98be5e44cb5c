using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary><c>check --every</c>: an endpoint that goes down and comes back, watched by repeated probes.</summary>
public sealed class EndpointWatchTests
{
    private static readonly DateTimeOffset T0 = AwsTestBed.T0;

    /// <summary>Each reading of the time is 30 s after the last, as if each probe came one 30 s interval later.</summary>
    private sealed class IntervalClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private long _reads;

        public override DateTimeOffset GetUtcNow() => start + (step * Interlocked.Increment(ref _reads));
    }

    /// <summary>Answers by probe number: the status for probe n is <paramref name="script"/>(n).</summary>
    private static LocalHttpServer Scripted(Func<int, int> script)
    {
        var probes = 0;
        return new LocalHttpServer(_ =>
        {
            var status = script(Interlocked.Increment(ref probes));
            return Task.FromResult(new HttpResponseData(status, status == 200 ? "ok" : "down", "text/plain"));
        });
    }

    [Fact]
    public async Task Only_changes_of_state_are_stored_each_with_its_first_and_last_probe()
    {
        // Up for 2 probes, 503 for 3, 502 for 1, then up again.
        await using var web = Scripted(n => n switch { <= 2 => 200, <= 5 => 503, 6 => 502, _ => 200 });
        await using var bed = new AwsTestBed();
        var clock = new IntervalClock(T0, TimeSpan.FromSeconds(30));
        var url = new Uri(web.Endpoint, "/health").ToString();
        var changes = new List<EndpointChange>();
        using var recovered = new CancellationTokenSource();
        var watch = new EndpointWatch(bed.Store, new EndpointChecker(clock), clock);

        var result = await watch.RunAsync(bed.IncidentId, [url], new EndpointWatchOptions { Every = TimeSpan.FromMilliseconds(5), Expect = 200 },
            change =>
            {
                changes.Add(change);
                if (change.Current.Healthy && change.Previous is not null)
                {
                    recovered.Cancel();
                }
            }, recovered.Token);

        Assert.Equal(WatchEnd.Cancelled, result.EndedBy);
        Assert.Equal(7, result.Rounds);
        DateTimeOffset Probe(int n) => T0.AddSeconds(30 * n);
        Assert.Equal(
            [("ok", 200, Probe(1), Probe(2), 2), ("unexpected-status", 503, Probe(3), Probe(5), 3), ("unexpected-status", 502, Probe(6), Probe(6), 1), ("ok", 200, Probe(7), Probe(7), 1)],
            result.States.Select(s => (s.Outcome, s.StatusCode!.Value, s.First, s.Last, s.Probes)));
        Assert.Equal(4, changes.Count);
        Assert.Null(changes[0].Previous);
        Assert.Equal(Probe(5), changes[2].Previous!.Last);

        var stored = bed.Evidence().Where(e => e.Kind == EvidenceKind.EndpointCheck).OrderBy(e => e.Number).ToList();
        Assert.Equal(4, stored.Count);
        Assert.Equal(
            [("200", "2025-08-20T13:00:30Z", "2025-08-20T13:01:00Z", "2"), ("503", "2025-08-20T13:01:30Z", "2025-08-20T13:02:30Z", "3"),
             ("502", "2025-08-20T13:03:00Z", "2025-08-20T13:03:00Z", "1"), ("200", "2025-08-20T13:03:30Z", "2025-08-20T13:03:30Z", "1")],
            stored.Select(e => (e.Attributes[EvidenceAttributes.StatusCode], e.Attributes[EndpointWatch.FirstSeenAttribute],
                e.Attributes[EndpointWatch.LastSeenAttribute], e.Attributes[EndpointWatch.ProbesAttribute])));
        Assert.Equal(Probe(3), stored[1].Time);
        Assert.EndsWith("unexpected-status (503) from 2025-08-20T13:01:30Z to 2025-08-20T13:02:30Z (3 probe(s))", stored[1].Content);
    }

    [Fact]
    public async Task Check_every_until_healthy_prints_each_change_and_stops_when_the_endpoint_recovers()
    {
        await using var web = Scripted(n => n <= 3 ? 504 : 200);
        await using var server = new FakeAwsServer();
        using var h = new CliHarness(T0);
        var id = h.Run("new", "Registry 504", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        var url = new Uri(web.Endpoint, "/api/mlflow/health").ToString();

        var run = h.Run("check", id, url, "--every", "20ms", "--until-healthy", "--timeout", "2s").ShouldSucceed();

        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal($"2025-08-20T13:00:00Z {url}: unexpected-status (504)", lines[0]);
        Assert.Equal($"2025-08-20T13:00:00Z {url}: ok (200) (was unexpected-status (504) from 2025-08-20T13:00:00Z to 2025-08-20T13:00:00Z, 3 probe(s))", lines[1]);
        Assert.Equal($"Watched 1 endpoint(s) for 4 round(s) (all healthy): 2 state(s) stored as endpoint-check evidence of {id}.", lines[2]);
        Assert.Equal(2, h.Run("evidence", "list", id, "--kind", "endpoint-check", "--json").ShouldSucceed().Json.GetArrayLength());

        var misuse = h.Run("check", id, url, "--until-healthy");
        Assert.Equal(2, misuse.ExitCode);
        Assert.Equal("incidents: error: invalid --until-healthy: it only applies with --every\n", misuse.Error);
    }
}
