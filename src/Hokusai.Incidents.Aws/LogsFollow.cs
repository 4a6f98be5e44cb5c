using System.Globalization;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

public sealed record LogsFollowRequest
{
    public required string IncidentId { get; init; }
    public required IReadOnlyList<string> Groups { get; init; }
    /// <summary>Where the first poll starts; a saved position of an earlier follow that got further wins.</summary>
    public required DateTimeOffset From { get; init; }
    /// <summary>Stop once the clock passes this (after one last poll).</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>Stop after following this long.</summary>
    public TimeSpan? For { get; init; }
    public string? StreamPrefix { get; init; }
    public string? FilterPattern { get; init; }
    public IReadOnlyList<string> Supports { get; init; } = [];
    /// <summary>Pause between polls; <c>aws logs tail --follow</c> polls every 5 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}

[JsonConverter(typeof(KebabCaseEnumConverter<FollowEnd>))]
public enum FollowEnd
{
    /// <summary>Ctrl-C (the caller's token).</summary>
    Cancelled,
    Until,
    Duration,
}

public sealed record FollowResult(
    long Added, long Skipped, long Polls, int Groups, FollowEnd EndedBy, TimeSpan Elapsed, long Requests, long Throttles, long SkippedPolls);

/// <summary>A poll that failed for a passing reason (network, 5xx); the follow goes on with the next poll.</summary>
public sealed record FollowHiccup(string Group, AwsException Error);

/// <summary>
/// Follows log groups as <c>aws logs tail --follow</c> does: polls FilterLogEvents from the newest
/// event seen, stores every page, and hands each newly stored event (as stored, so redacted) to the
/// caller only after it is stored, so whatever was shown is kept. The newest timestamp per group is
/// saved as a checkpoint after each page, so a follow started again resumes there; events at that
/// same millisecond come again and are skipped by their dedup key, never shown twice.
/// </summary>
public sealed class LogsFollower(IIncidentStore store, CloudWatchLogsApi api, TimeProvider clock)
{
    public static string CheckpointKey(LogsFollowRequest request, string group) => string.Join('|',
        "aws-logs-follow", request.IncidentId, group, request.StreamPrefix ?? "", request.FilterPattern ?? "");

    public async Task<FollowResult> FollowAsync(LogsFollowRequest request, Action<Evidence> shown, Action<FollowHiccup>? hiccup,
        CancellationToken cancellationToken)
    {
        store.Get(request.IncidentId);
        var started = clock.GetTimestamp();
        var groups = request.Groups.Distinct().ToList();
        var from = AwsTime.ToEpochMilliseconds(request.From);
        var cursors = groups.ToDictionary(g => g, g =>
            long.TryParse(store.GetCheckpoint(CheckpointKey(request, g)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var saved)
                ? Math.Max(saved, from)
                : from);
        long added = 0, skipped = 0, polls = 0, skippedPolls = 0;
        FollowEnd end;
        try
        {
            while (true)
            {
                foreach (var group in groups)
                {
                    try
                    {
                        var (a, s) = await PollGroupAsync(request, group, cursors, shown, cancellationToken).ConfigureAwait(false);
                        added += a;
                        skipped += s;
                    }
                    catch (AwsException e) when (IsPassing(e))
                    {
                        // A long follow outlives network blips and a busy service: try again at the next poll.
                        skippedPolls++;
                        hiccup?.Invoke(new FollowHiccup(group, e.About($"log group '{group}'")));
                    }
                    catch (AwsException e)
                    {
                        throw e.About($"log group '{group}'");
                    }
                }
                polls++;
                if (request.Until is { } until && clock.GetUtcNow() >= until)
                {
                    end = FollowEnd.Until;
                    break;
                }
                var wait = request.PollInterval;
                if (request.For is { } span)
                {
                    var left = span - clock.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero)
                    {
                        end = FollowEnd.Duration;
                        break;
                    }
                    wait = left < wait ? left : wait;
                }
                if (request.Until is { } u && u - clock.GetUtcNow() is var toUntil && toUntil < wait)
                {
                    wait = toUntil > TimeSpan.Zero ? toUntil : TimeSpan.Zero;
                }
                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            end = FollowEnd.Cancelled;
        }
        var stats = api.Client.Stats;
        return new FollowResult(added, skipped, polls, groups.Count, end, clock.GetElapsedTime(started), stats.Requests, stats.Throttles, skippedPolls);
    }

    private async Task<(long Added, long Skipped)> PollGroupAsync(LogsFollowRequest request, string group, Dictionary<string, long> cursors,
        Action<Evidence> shown, CancellationToken cancellationToken)
    {
        long added = 0, skipped = 0;
        var now = clock.GetUtcNow();
        // Up to the stop time, or a while past now: a sender's clock may run ahead of ours.
        var end = request.Until ?? now.AddHours(1);
        var window = new TimeWindow(AwsTime.FromEpochMilliseconds(cursors[group]), end > now ? end : now);
        string? token = null;
        // Every poll lists from the cursor's millisecond again, so identical events there are counted
        // from the first again and get the keys they got before: counts start fresh each poll.
        var occurrences = LogEventOccurrences.Restore(null);
        do
        {
            var page = await api.FilterLogEventsAsync(new FilterLogEventsRequest
            {
                Group = group,
                Window = window,
                StreamPrefix = request.StreamPrefix,
                FilterPattern = request.FilterPattern,
                NextToken = token,
            }, cancellationToken).ConfigureAwait(false);
            token = page.NextToken;
            if (page.Events.Count == 0)
            {
                continue;
            }
            var items = page.Events.Select(e => (e with { Group = group }).ToEvidence(request.IncidentId, request.Supports, occurrences)).ToList();
            var result = store.AddEvidence(items);
            added += result.Added;
            skipped += result.Skipped;
            var newest = Math.Max(cursors[group], page.Events.Max(e => e.Timestamp));
            // Saved after the page is stored: a restart repeats the newest millisecond at worst, and dedup skips it.
            store.SetCheckpoint(CheckpointKey(request, group), newest.ToString(CultureInfo.InvariantCulture));
            cursors[group] = newest;
            foreach (var e in StoredItems(request.IncidentId, result.Numbers).OrderBy(e => e.Time).ThenBy(e => e.Number))
            {
                shown(e);
            }
        }
        while (token is not null);
        return (added, skipped);
    }

    /// <summary>The items just written, read back as stored (redacted), in one ranged read.</summary>
    private IEnumerable<Evidence> StoredItems(string incidentId, IReadOnlyList<long> numbers)
    {
        if (numbers.Count == 0)
        {
            return [];
        }
        var wanted = numbers.ToHashSet();
        var first = numbers.Min();
        return store.ListEvidence(incidentId, new EvidenceQuery { After = first - 1, Limit = (int)Math.Min(int.MaxValue, numbers.Max() - first + 1) })
            .Where(e => wanted.Contains(e.Number)).ToList();
    }

    /// <summary>Errors worth waiting out in a follow: network trouble, server errors and throttling past the retry deadline.</summary>
    private static bool IsPassing(AwsException e) =>
        e.HttpStatus == 0 || e.HttpStatus >= 500 || e.HttpStatus == 429 || e.Code.Contains("Throttl", StringComparison.Ordinal);

    /// <summary>One event as a line: time, group, stream and message, like <c>aws logs tail</c>.</summary>
    public static string FormatLine(Evidence e) => string.Create(CultureInfo.InvariantCulture,
        $"{(e.Time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "-")} " +
        $"{e.Attributes.GetValueOrDefault(EvidenceAttributes.LogGroup) ?? e.Source}/{e.Attributes.GetValueOrDefault(EvidenceAttributes.LogStream) ?? "-"} {e.Content}");
}
