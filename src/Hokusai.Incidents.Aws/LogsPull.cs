using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

public sealed record LogsPullRequest
{
    public required string IncidentId { get; init; }
    public required IReadOnlyList<string> Groups { get; init; }
    public required TimeWindow Window { get; init; }
    public string? StreamPrefix { get; init; }
    public string? FilterPattern { get; init; }
    /// <summary>Stop after this many events over all groups.</summary>
    public long? Limit { get; init; }
    public IReadOnlyList<string> Supports { get; init; } = [];
}

/// <summary>Where a running pull is; reported after every stored page.</summary>
public sealed record PullProgress(string Group, long Events, long Pages, long Added, long Skipped, DateTimeOffset? PageFrom, DateTimeOffset? PageTo, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : 0;
}

public sealed record PullResult(
    long Events, long Pages, long Added, long Skipped, int Groups, int ResumedGroups,
    TimeSpan Elapsed, TimeSpan FetchTime, TimeSpan StoreTime, long Requests, long Throttles, long Retries)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Pulls FilterLogEvents pages of each group into the store. The next page is fetched while the
/// current one is stored (a bounded channel between the two); after each stored page the next token
/// is saved as a checkpoint, so an interrupted pull continues where it stopped, and dedup by event id
/// makes running it again harmless.
/// </summary>
public sealed class LogsPuller(IIncidentStore store, CloudWatchLogsApi api)
{
    /// <summary>Pages fetched ahead of the store; small, because one page can hold 10,000 events.</summary>
    public int PrefetchPages { get; init; } = 2;

    public static string CheckpointKey(LogsPullRequest request, string group) => string.Join('|',
        "aws-logs", request.IncidentId, group, request.StreamPrefix ?? "", request.FilterPattern ?? "",
        AwsTime.ToEpochMilliseconds(request.Window.Start).ToString(CultureInfo.InvariantCulture),
        AwsTime.ToEpochMilliseconds(request.Window.End).ToString(CultureInfo.InvariantCulture));

    public async Task<PullResult> PullAsync(LogsPullRequest request, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        store.Get(request.IncidentId);
        var clock = Stopwatch.StartNew();
        var channel = Channel.CreateBounded<FetchedPage>(new BoundedChannelOptions(Math.Max(1, PrefetchPages))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var fetchTicks = 0L;
        var resumed = 0;
        var errors = new List<AwsException>();
        // Read before the producer starts: the store is used from one thread at a time.
        var checkpoints = request.Groups.Distinct().ToDictionary(g => g, g => PullCheckpoint.Read(store.GetCheckpoint(CheckpointKey(request, g))));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                long fetched = 0;
                foreach (var group in checkpoints.Keys)
                {
                    var key = CheckpointKey(request, group);
                    var token = checkpoints[group].Token;
                    var fromCheckpoint = token is not null;
                    if (fromCheckpoint)
                    {
                        resumed++;
                    }
                    try
                    {
                        do
                        {
                            var remaining = request.Limit is { } limit ? limit - fetched : long.MaxValue;
                            if (remaining <= 0)
                            {
                                break;
                            }
                            var started = Stopwatch.GetTimestamp();
                            LogPage page;
                            try
                            {
                                page = await api.FilterLogEventsAsync(new FilterLogEventsRequest
                                {
                                    Group = group,
                                    Window = request.Window,
                                    StreamPrefix = request.StreamPrefix,
                                    FilterPattern = request.FilterPattern,
                                    Limit = remaining < 10_000 ? (int)remaining : null,
                                    NextToken = token,
                                }, stop.Token).ConfigureAwait(false);
                            }
                            catch (AwsException e) when (fromCheckpoint && e.Code == "InvalidParameterException")
                            {
                                // A saved token may have expired (they last about a day): start the group over; dedup skips what we have.
                                fromCheckpoint = false;
                                token = null;
                                continue;
                            }
                            Interlocked.Add(ref fetchTicks, Stopwatch.GetTimestamp() - started);
                            var savedCounts = fromCheckpoint ? checkpoints[group].Occurrences : null;
                            fromCheckpoint = false;
                            var events = page.Events.Count > remaining ? page.Events.Take((int)remaining).ToList() : page.Events;
                            fetched += events.Count;
                            var done = page.NextToken is null || (request.Limit is { } l && fetched >= l);
                            token = page.NextToken;
                            await channel.Writer.WriteAsync(new FetchedPage(group, key, events, done ? null : token, savedCounts), stop.Token).ConfigureAwait(false);
                            if (done)
                            {
                                break;
                            }
                        }
                        while (true);
                    }
                    catch (AwsException e)
                    {
                        // Keep going with the other groups; the first error is reported at the end.
                        errors.Add(e.About($"log group '{group}'"));
                        if (e.GaveUpAfter is not null)
                        {
                            // The account's rate (or the service) is what failed: the other groups would wait as long for nothing.
                            break;
                        }
                    }
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);

        long total = 0, pages = 0, added = 0, skipped = 0;
        var storeTime = TimeSpan.Zero;
        try
        {
            // Identical events are counted across the pages of a group, and across runs through the checkpoint.
            var occurrences = new Dictionary<string, LogEventOccurrences>(StringComparer.Ordinal);
            await foreach (var page in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                if (!occurrences.TryGetValue(page.Group, out var counted))
                {
                    counted = occurrences[page.Group] = LogEventOccurrences.Restore(page.SavedCounts);
                }
                if (page.Events.Count > 0)
                {
                    var items = new List<Evidence>(page.Events.Count);
                    foreach (var e in page.Events)
                    {
                        items.Add((e with { Group = page.Group }).ToEvidence(request.IncidentId, request.Supports, counted));
                    }
                    var result = store.AddEvidence(items);
                    added += result.Added;
                    skipped += result.Skipped;
                }
                // Saved only after the page is stored: a crash in between repeats the page, never skips it.
                store.SetCheckpoint(page.CheckpointKey, page.NextToken is null ? null : PullCheckpoint.Write(page.NextToken, counted));
                storeTime += Stopwatch.GetElapsedTime(started);
                total += page.Events.Count;
                pages++;
                progress?.Report(new PullProgress(page.Group, total, pages, added, skipped,
                    page.Events.Count > 0 ? AwsTime.FromEpochMilliseconds(page.Events.Min(e => e.Timestamp)) : null,
                    page.Events.Count > 0 ? AwsTime.FromEpochMilliseconds(page.Events.Max(e => e.Timestamp)) : null,
                    clock.Elapsed));
            }
        }
        catch
        {
            // Unblocks a producer waiting for room in the channel.
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            await producer.ConfigureAwait(false);
        }
        if (errors.Count > 0)
        {
            var first = errors[0];
            throw errors.Count == 1 ? first
                : new AwsException($"{first.Message} (and {errors.Count - 1} more group error(s))", first.Code, first.HttpStatus, first) { GaveUpAfter = first.GaveUpAfter };
        }
        var stats = api.Client.Stats;
        return new PullResult(total, pages, added, skipped, checkpoints.Count, resumed, clock.Elapsed,
            Stopwatch.GetElapsedTime(0, Interlocked.Read(ref fetchTicks)), storeTime, stats.Requests, stats.Throttles, stats.Retries);
    }

    /// <summary>A page on its way to the store; <paramref name="SavedCounts"/> on the first page after a saved checkpoint.</summary>
    private sealed record FetchedPage(string Group, string CheckpointKey, IReadOnlyList<LogEvent> Events, string? NextToken, string? SavedCounts);

    /// <summary>
    /// What a saved checkpoint holds: the next page token and the counts of identical events at the
    /// last stored millisecond (so a repeat split by the stop is still counted right). Checkpoints
    /// saved by earlier versions hold the token alone.
    /// </summary>
    private sealed record PullCheckpoint(string? Token, string? Occurrences)
    {
        private const char Separator = '\u001e';

        public static readonly PullCheckpoint Start = new(null, null);

        public static PullCheckpoint Read(string? saved)
        {
            if (saved is null)
            {
                return Start;
            }
            var at = saved.IndexOf(Separator, StringComparison.Ordinal);
            return at < 0 ? new PullCheckpoint(saved, null) : new PullCheckpoint(saved[..at], saved[(at + 1)..]);
        }

        public static string Write(string token, LogEventOccurrences occurrences) => token + Separator + occurrences.Save();
    }
}
