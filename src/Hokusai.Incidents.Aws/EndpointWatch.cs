using System.Globalization;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

public sealed record EndpointWatchOptions
{
    public required TimeSpan Every { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public int? Expect { get; init; }
    /// <summary>Stop as soon as every endpoint answers healthily.</summary>
    public bool UntilHealthy { get; init; }
    /// <summary>Stop after watching this long.</summary>
    public TimeSpan? For { get; init; }
    public IReadOnlyList<string> Supports { get; init; } = [];
}

/// <summary>One stretch of time in which an endpoint answered the same way.</summary>
public sealed record EndpointState(string Url, string Outcome, int? StatusCode, DateTimeOffset First, DateTimeOffset Last, int Probes, long EvidenceNumber)
{
    public bool Healthy => Outcome == EndpointOutcomes.Ok;

    public string Describe() => StatusCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"{Outcome} ({code})") : Outcome;
}

/// <summary>An endpoint started answering differently; <see cref="Previous"/> is null for the first probe.</summary>
public sealed record EndpointChange(EndpointCheckResult Probe, EndpointState Current, EndpointState? Previous);

[JsonConverter(typeof(KebabCaseEnumConverter<WatchEnd>))]
public enum WatchEnd
{
    Cancelled,
    Healthy,
    Duration,
}

public sealed record WatchResult(IReadOnlyList<EndpointState> States, int Rounds, WatchEnd EndedBy);

/// <summary>
/// Probes endpoints every so often and stores a piece of evidence per state, not per probe: a new
/// item when an endpoint's outcome changes, and the item of the state it left updated with that
/// state's last probe. Recovery time is then the first time of the healthy state, to one interval.
/// </summary>
public sealed class EndpointWatch(IIncidentStore store, EndpointChecker checker, TimeProvider clock)
{
    public const string FirstSeenAttribute = "stateFirst";
    public const string LastSeenAttribute = "stateLast";
    public const string ProbesAttribute = "stateProbes";

    public async Task<WatchResult> RunAsync(string incidentId, IReadOnlyList<string> urls, EndpointWatchOptions options,
        Action<EndpointChange> changed, CancellationToken cancellationToken)
    {
        store.Get(incidentId);
        var started = clock.GetTimestamp();
        // Every state seen, in order; the open state of each URL is found by its index.
        var all = new List<EndpointState>();
        var current = new Dictionary<string, int>(StringComparer.Ordinal);
        var rounds = 0;
        WatchEnd end;
        try
        {
            while (true)
            {
                var results = await Task.WhenAll(urls.Select(u => checker.CheckAsync(u, options.Timeout, options.Expect, cancellationToken))).ConfigureAwait(false);
                rounds++;
                foreach (var probe in results)
                {
                    Record(incidentId, probe, options, current, all, changed);
                }
                if (options.UntilHealthy && current.Values.All(i => all[i].Healthy))
                {
                    end = WatchEnd.Healthy;
                    break;
                }
                var wait = options.Every;
                if (options.For is { } span)
                {
                    var left = span - clock.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero)
                    {
                        end = WatchEnd.Duration;
                        break;
                    }
                    wait = left < wait ? left : wait;
                }
                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            end = WatchEnd.Cancelled;
        }
        // The states still open end at their last probe.
        foreach (var i in current.Values)
        {
            Close(incidentId, all[i]);
        }
        return new WatchResult(all, rounds, end);
    }

    private void Record(string incidentId, EndpointCheckResult probe, EndpointWatchOptions options, Dictionary<string, int> current,
        List<EndpointState> all, Action<EndpointChange> changed)
    {
        EndpointState? state = null;
        if (current.TryGetValue(probe.Url, out var index))
        {
            state = all[index];
            if (state.Outcome == probe.Outcome && state.StatusCode == probe.StatusCode)
            {
                all[index] = state with { Last = probe.At, Probes = state.Probes + 1 };
                return;
            }
            Close(incidentId, state);
        }
        var evidence = probe.ToEvidence(incidentId, options.Supports);
        var attributes = new Dictionary<string, string>(evidence.Attributes)
        {
            [FirstSeenAttribute] = TimeInput.Format(probe.At),
            [LastSeenAttribute] = TimeInput.Format(probe.At),
            [ProbesAttribute] = "1",
        };
        var write = store.AddEvidence([evidence with
        {
            Attributes = attributes,
            DedupKey = string.Create(CultureInfo.InvariantCulture, $"watch:{probe.Url}:{probe.At.UtcTicks}:{probe.Outcome}:{probe.StatusCode}"),
        }]);
        var next = new EndpointState(probe.Url, probe.Outcome, probe.StatusCode, probe.At, probe.At, 1, write.Numbers.Count > 0 ? write.Numbers[0] : 0);
        current[probe.Url] = all.Count;
        all.Add(next);
        changed(new EndpointChange(probe, next, state));
    }

    /// <summary>Writes a state's last probe time and count onto its evidence.</summary>
    private void Close(string incidentId, EndpointState state)
    {
        if (state.EvidenceNumber == 0)
        {
            return;
        }
        store.UpdateEvidence(incidentId, state.EvidenceNumber, e => e with
        {
            Content = string.Create(CultureInfo.InvariantCulture,
                $"{e.Content.Split('\n')[0]}\n{state.Describe()} from {TimeInput.Format(state.First)} to {TimeInput.Format(state.Last)} ({state.Probes} probe(s))"),
            Attributes = new Dictionary<string, string>(e.Attributes)
            {
                [LastSeenAttribute] = TimeInput.Format(state.Last),
                [ProbesAttribute] = state.Probes.ToString(CultureInfo.InvariantCulture),
            },
        });
    }
}
