using LiteDB;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// Moves CloudWatch Logs evidence stored by earlier versions to <see cref="LogEventKey"/>, so that
/// pulling or attaching the same events again adds nothing. Earlier keys were the event id (pulls,
/// filter-log-events files), group:stream:time:hash (get-log-events files with --group and --stream)
/// or a hash of the content (get-log-events files without --group).
/// </summary>
public sealed partial class LiteDbIncidentStore
{
    private const string LogEventKeysMarker = "logEventKeys";

    private void MigrateLogEventKeys(bool isNew)
    {
        var meta = Db.GetCollection(Meta);
        if (meta.FindById(LogEventKeysMarker) is not null)
        {
            return;
        }
        if (!isNew)
        {
            var col = Db.GetCollection(EvidenceCollection);
            foreach (var incident in Db.GetCollection(Incidents).FindAll().Select(d => d["_id"].AsString).ToList())
            {
                RekeyLogEvents(col, incident);
            }
            // A store this old has no read copy, but a copy must never outlive a rewrite of its items.
            Db.GetCollection(EvidenceBlocks).DeleteAll();
        }
        meta.Upsert(new BsonDocument { ["_id"] = LogEventKeysMarker, ["version"] = 2 });
    }

    private static void RekeyLogEvents(ILiteCollection<BsonDocument> col, string incidentId)
    {
        var prefix = incidentId + "\n";
        var legacy = col.Find(Where.StartsWith("key", prefix + LogEventKey.LegacyPrefix)).Select(FromEvidenceDocument)
            .Concat(col.Find(Where.StartsWith("key", prefix + "sha256:")).Select(FromEvidenceDocument).Where(e => e.Kind == EvidenceKind.LogExcerpt))
            .OrderBy(e => e.Number)
            .ToList();
        if (legacy.Count == 0)
        {
            return;
        }
        // A file attached without --group gave its events a stream but no group; another copy of the stream may name it.
        var groupOfStream = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in legacy.Concat(col.Find(Where.StartsWith("key", prefix + LogEventKey.Prefix)).Select(FromEvidenceDocument)))
        {
            if (e.Attributes.TryGetValue(EvidenceAttributes.LogStream, out var s) && e.Attributes.TryGetValue(EvidenceAttributes.LogGroup, out var g))
            {
                groupOfStream.TryAdd(s, g);
            }
        }
        // Occurrences are counted separately per source kind: events with ids are distinct events, while a
        // copy without an id (a get-log-events attach) of the same event must land on the same key.
        var withId = new Dictionary<string, int>(StringComparer.Ordinal);
        var withoutId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in legacy)
        {
            if (!e.Attributes.TryGetValue(EvidenceAttributes.LogStream, out var stream)
                || !(e.Attributes.TryGetValue(EvidenceAttributes.LogGroup, out var group) || groupOfStream.TryGetValue(stream, out group))
                || e.Time is not { } time)
            {
                // Not enough to know which event it was: left as it is.
                continue;
            }
            long? ingested = e.Attributes.TryGetValue(EvidenceAttributes.IngestionTime, out var at)
                && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed.ToUnixTimeMilliseconds() : null;
            var identity = LogEventKey.Identity(group, stream, time.ToUnixTimeMilliseconds(), ingested, e.Content);
            var counts = e.Attributes.ContainsKey(EvidenceAttributes.EventId) ? withId : withoutId;
            var occurrence = counts.GetValueOrDefault(identity);
            counts[identity] = occurrence + 1;
            var key = LogEventKey.For(identity, occurrence);
            if (Where.Any(col, Where.Equal("key", prefix + key)))
            {
                // The same event stored twice by an earlier version: the first copy keeps the key (so
                // nothing is added again), this one stays with its number and links under a key of its own.
                key = $"{key}|copy-of-earlier|E{e.Number}";
            }
            col.Update(ToDocument(e with { DedupKey = key }, prefix + key));
        }
    }
}
