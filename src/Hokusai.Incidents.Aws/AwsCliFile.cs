using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

/// <summary>Which AWS CLI command a saved JSON file came from, told by its shape.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<AwsCliShape>))]
public enum AwsCliShape
{
    FilterLogEvents,
    GetLogEvents,
    DescribeServices,
    DescribeTasks,
}

public sealed record AttachOptions
{
    public required string IncidentId { get; init; }
    /// <summary>Log group and stream for files that do not name them (get-log-events, filter-log-events).</summary>
    public string? Group { get; init; }
    public string? Stream { get; init; }
    public string? Cluster { get; init; }
    public IReadOnlyList<string> Supports { get; init; } = [];
    /// <summary>Evidence per store write.</summary>
    public int BatchSize { get; init; } = 20_000;
}

public sealed record AttachResult(AwsCliShape Shape, long Items, long Added, long Skipped, TimeSpan Elapsed)
{
    /// <summary>ECS items stored before and seen now in a later state, updated in place (numbers and links kept).</summary>
    public IReadOnlyList<long> Updated { get; init; } = [];

    /// <summary>How something the file does not say (its log group or stream) was learned, for the user to check.</summary>
    public string? Note { get; init; }
}

/// <summary>How far an attach has come: items stored of all the file holds (0 while it is not yet known).</summary>
public sealed record AttachProgress(long Stored, long Total);

/// <summary>
/// Reads JSON saved from <c>aws logs filter-log-events</c>, <c>aws logs get-log-events</c>,
/// <c>aws ecs describe-services</c> or <c>aws ecs describe-tasks</c> and stores it as evidence, the same
/// evidence a pull would have stored. Mapping overlaps with storing for large log files.
/// </summary>
public static class AwsCliFile
{
    public static AwsCliShape Recognise(JsonElement root, string path)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array)
            {
                var first = events.EnumerateArray().FirstOrDefault();
                var looksLikeLogs = first.ValueKind == JsonValueKind.Undefined
                    || (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("timestamp", out _) && first.TryGetProperty("message", out _));
                if (looksLikeLogs)
                {
                    if (root.TryGetProperty("nextForwardToken", out _) || root.TryGetProperty("nextBackwardToken", out _))
                    {
                        return AwsCliShape.GetLogEvents;
                    }
                    if (root.TryGetProperty("searchedLogStreams", out _) || first.ValueKind == JsonValueKind.Undefined
                        || first.TryGetProperty("eventId", out _) || first.TryGetProperty("logStreamName", out _))
                    {
                        return AwsCliShape.FilterLogEvents;
                    }
                    return AwsCliShape.GetLogEvents;
                }
            }
            if (root.TryGetProperty("services", out var services) && services.ValueKind == JsonValueKind.Array
                && services.EnumerateArray().All(s => s.ValueKind == JsonValueKind.Object && (s.TryGetProperty("serviceName", out _) || s.TryGetProperty("serviceArn", out _))))
            {
                return AwsCliShape.DescribeServices;
            }
            if (root.TryGetProperty("tasks", out var tasks) && tasks.ValueKind == JsonValueKind.Array
                && tasks.EnumerateArray().All(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("taskArn", out _)))
            {
                return AwsCliShape.DescribeTasks;
            }
        }
        throw new InvalidInputException(
            $"{path}: not AWS CLI output this command knows; expected JSON from aws logs filter-log-events or get-log-events, or aws ecs describe-services or describe-tasks");
    }

    public static Task<AttachResult> AttachAsync(IIncidentStore store, string path, AttachOptions options, TimeProvider clock, CancellationToken cancellationToken) =>
        AttachAsync(store, path, options, clock, null, cancellationToken);

    /// <summary>Attaches a saved file, telling <paramref name="progress"/> after each stored batch (a log file's total is known after its first pass).</summary>
    public static async Task<AttachResult> AttachAsync(IIncidentStore store, string path, AttachOptions options, TimeProvider clock,
        IProgress<AttachProgress>? progress, CancellationToken cancellationToken)
    {
        store.Get(options.IncidentId);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (Directory.Exists(path))
        {
            throw new InvalidInputException($"{path}: is a directory, not a file");
        }
        // Log dumps can hold millions of events: a first pass checks the whole file is JSON and what
        // wrote it, keeping nothing; the second maps one event at a time while the store writes.
        var outline = await Task.Run(() => LogEventsFile.Scan(path), cancellationToken).ConfigureAwait(false);
        if (outline.IsLogs)
        {
            var source = LogFileSource.Resolve(store, options.IncidentId, path, outline.Shape, options.Group, options.Stream,
                LogEventsFile.Events(path, options.Group, options.Stream).FirstOrDefault());
            // The file is one source: its identical events are counted through it once.
            var occurrences = new LogEventOccurrences();
            var events = LogEventsFile.Events(path, source.Group, source.Stream).Select(e => e.ToEvidence(options.IncidentId, options.Supports, occurrences));
            progress?.Report(new AttachProgress(0, outline.Events));
            var stored = progress is null ? null : new InlineProgress<long>(n => progress.Report(new AttachProgress(n, outline.Events)));
            var (count, added, skipped) = await StoreAsync(store, events, options.BatchSize, cancellationToken, stored).ConfigureAwait(false);
            return new AttachResult(outline.Shape, count, added, skipped, watch.Elapsed) { Note = source.Note };
        }

        // ECS descriptions are small; read them whole.
        JsonDocument doc;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            doc = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path}: not valid JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            var shape = Recognise(root, path);
            var items = shape switch
            {
                AwsCliShape.DescribeServices => root.GetProperty("services").EnumerateArray()
                    .SelectMany(s => EcsEvidence.FromService(options.IncidentId, s, options.Cluster, options.Supports, clock.GetUtcNow())),
                AwsCliShape.DescribeTasks => root.GetProperty("tasks").EnumerateArray()
                    .Select(t => EcsEvidence.FromTask(options.IncidentId, t, options.Cluster, null, options.Supports)),
                // The scan said it is not a logs file; Recognise agreeing otherwise would be a bug in one of them.
                _ => throw new InvalidOperationException($"{path}: logs file not recognised by the streaming reader"),
            };
            var list = items.ToList();
            var stored = EcsStateUpdates.Store(store, list);
            return new AttachResult(shape, list.Count, stored.Added, stored.Skipped, watch.Elapsed) { Updated = stored.Updated };
        }
    }

    /// <summary>Maps on one thread while the store writes the previous batch on another.</summary>
    public static async Task<(long Items, long Added, long Skipped)> StoreAsync(
        IIncidentStore store, IEnumerable<Evidence> items, int batchSize, CancellationToken cancellationToken, IProgress<long>? stored = null)
    {
        var channel = Channel.CreateBounded<List<Evidence>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<Evidence>(batchSize);
                foreach (var item in items)
                {
                    batch.Add(item);
                    if (batch.Count >= batchSize)
                    {
                        await channel.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                        batch = new List<Evidence>(batchSize);
                    }
                }
                if (batch.Count > 0)
                {
                    await channel.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        long count = 0, added = 0, skipped = 0;
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var r = store.AddEvidence(batch);
                count += batch.Count;
                added += r.Added;
                skipped += r.Skipped;
                stored?.Report(count);
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
        return (count, added, skipped);
    }
}
