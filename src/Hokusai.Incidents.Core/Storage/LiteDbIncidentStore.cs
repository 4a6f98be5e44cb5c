using System.Security.Cryptography;
using System.Text;
using Hokusai.Incidents.Redaction;
using Hokusai.Incidents.Serialization;
using LiteDB;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// LiteDB in its direct connection mode, behind a lock file that makes one process at a time its
/// only user: the store takes the lock and opens the file on first use, and closes and releases
/// both when it has held them over a second (so a long import lets other commands in between its
/// transactions), when it sits idle, or when disposed. Two <c>incidents</c> processes can so write
/// one file at once. Shared mode did the same per operation and paid LiteDB's open, checkpoint and
/// close each time: several times slower per write, and most of a short command's time.
/// An incident is its JSON in one binary value; evidence rows are mapped by hand because pulls write
/// millions of them.
/// </summary>
public sealed partial class LiteDbIncidentStore : IIncidentStore
{
    /// <summary>
    /// 2: evidence is stored as an id, a key and one binary value (StoredEvidence); items written by
    /// version 1 (a field per member) are still read, and rewritten in the new layout when next changed.
    /// 3: an incident is stored as its JSON in one binary value (incidents written a field per member are
    /// still read), and large incidents' evidence has a read copy in blocks that every write to an item
    /// must drop (LiteDbIncidentStore.EvidenceBlocks.cs), so version 2 may no longer write.
    /// </summary>
    public const int SchemaVersion = 3;

    private const string Incidents = "incidents";
    private const string EvidenceCollection = "evidence";
    private const string Meta = "meta";
    private const string Counters = "counters";
    private const string Checkpoints = "checkpoints";

    /// <summary>After this long holding the database, the store lets others in at the end of an operation.</summary>
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(1);
    /// <summary>
    /// After letting others in, how long the store waits before taking the lock again: longer than a
    /// waiter's polling interval, so a waiting command gets its turn rather than the next batch.
    /// </summary>
    private static readonly TimeSpan TurnGap = TimeSpan.FromMilliseconds(30);
    /// <summary>An open database unused for this long is closed and its lock released.</summary>
    private static readonly TimeSpan IdleLimit = TimeSpan.FromMilliseconds(250);
    /// <summary>How long a command waits for another process' turn before giving up.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _clock;
    private readonly IReadOnlyList<string> _configuredPatterns;
    private readonly Lock _sync = new();
    private readonly Timer _idleTimer;
    private LiteDatabase? _db;
    private StoreFileLock? _lock;
    private long _heldSince;
    private long _lastUse;
    private long _turnGapUntil;
    private int _depth;
    private bool _disposed;
    private Redactor _redactor;
    private Collation? _collation;

    private LiteDbIncidentStore(string path, StoreOptions options)
    {
        Location = path;
        _clock = options.Clock ?? TimeProvider.System;
        _configuredPatterns = options.ExtraRedactionPatterns;
        _redactor = new Redactor(_configuredPatterns);
        _idleTimer = new Timer(_ => CloseIfIdle(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public string Location { get; }

    public Redactor Redactor => _redactor;

    public long ChangeSequence => Guard(() => Db.GetCollection(Meta).FindById("changes")?["value"].AsInt64 ?? 0);

    /// <summary>The open database; only inside <see cref="Guard{T}"/>.</summary>
    private LiteDatabase Db => _db ?? throw new InvalidOperationException("database used outside an operation");

    /// <summary>Opens (creating on first use) the database at <paramref name="path"/>.</summary>
    public static LiteDbIncidentStore Open(string path, StoreOptions? options = null)
    {
        options ??= new StoreOptions();
        var full = Path.GetFullPath(path);
        StoreFileCheck.EnsureHealthy(full);
        try
        {
            var dir = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot open database '{full}': {OneLine(e.Message)}", e);
        }
        var store = new LiteDbIncidentStore(full, options);
        try
        {
            store.Initialise();
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    public Incident Create(Incident draft)
    {
        var now = Now();
        return Write(() =>
        {
            var col = Db.GetCollection(Incidents);
            // Redact before making the slug, or a secret in the title would live on in the id.
            var clean = _redactor.RedactRecord(draft);
            var id = string.IsNullOrWhiteSpace(clean.Id) ? Slug.For(clean, now) : Slug.Normalise(clean.Id);
            var unique = id;
            for (var n = 2; Where.Any(col, Where.Equal("_id", unique)); n++)
            {
                if (!string.IsNullOrWhiteSpace(draft.Id))
                {
                    throw new InvalidInputException($"incident '{id}' already exists");
                }
                unique = $"{id}-{n}";
            }
            var incident = clean with { Id = unique, CreatedAt = now, UpdatedAt = now, Revision = 1 };
            col.Insert(ToDocument(incident));
            return incident;
        });
    }

    public Incident? Find(string id) => Guard(() =>
    {
        Slug.CheckLength(id);
        var doc = Db.GetCollection(Incidents).FindById(id);
        return doc is null ? null : FromDocument(doc);
    });

    public Incident Get(string id) =>
        Find(id) ?? throw new NotFoundException($"unknown incident '{id}' (see 'incidents list')");

    public IReadOnlyList<Incident> List(IncidentQuery? query = null) => Guard(() =>
    {
        var all = Db.GetCollection(Incidents).FindAll().Select(FromDocument);
        if (query is not null)
        {
            all = all.Where(i =>
                (query.Status is null || i.Status == query.Status)
                && (query.Severity is null || i.Severity == query.Severity)
                && (query.Since is null || (i.Times.Started ?? i.CreatedAt) >= query.Since)
                && (query.Service is null || i.Components.Services.Any(s => s.Contains(query.Service, StringComparison.OrdinalIgnoreCase))));
        }
        return all.OrderByDescending(i => i.Times.Started ?? i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
    });

    public Incident Update(string id, Func<Incident, Incident> change)
    {
        var now = Now();
        return Write(() =>
        {
            Slug.CheckLength(id);
            var col = Db.GetCollection(Incidents);
            var doc = col.FindById(id) ?? throw new NotFoundException($"unknown incident '{id}' (see 'incidents list')");
            var before = FromDocument(doc);
            var after = change(before);
            if (after.Id != before.Id)
            {
                throw new InvalidInputException($"incident '{id}': the id cannot be changed");
            }
            after = _redactor.RedactRecord(after with { UpdatedAt = now, Revision = before.Revision + 1, CreatedAt = before.CreatedAt });
            col.Update(ToDocument(after));
            return after;
        });
    }

    public Incident Put(Incident incident) => Write(() =>
    {
        if (string.IsNullOrWhiteSpace(incident.Id))
        {
            throw new InvalidInputException("incident has no id");
        }
        // Redact before normalising the id, or a secret whose underscores the slug drops would survive in it.
        var redacted = _redactor.RedactRecord(incident);
        redacted = redacted with { Id = Slug.Normalise(redacted.Id) };
        Db.GetCollection(Incidents).Upsert(ToDocument(redacted));
        return redacted;
    });

    public bool Delete(string id) => Write(() =>
    {
        var deleted = Db.GetCollection(Incidents).Delete(id);
        Db.GetCollection(EvidenceCollection).DeleteMany(Where.StartsWith("_id", EvidencePrefix(id)));
        DropAllBlocks(id);
        Db.GetCollection(Counters).Delete(id);
        Db.GetCollection(Meta).Delete(EvidenceUpdatesKey(id));
        return deleted;
    });

    public EvidenceWriteResult AddEvidence(IReadOnlyCollection<Evidence> items)
    {
        if (items.Count == 0)
        {
            return new EvidenceWriteResult(0, 0, []);
        }
        var prepared = PrepareEvidence(items);
        return Write(() => InsertEvidence(prepared), keepsKnownKeys: true);
    }

    public CaseReplaceResult Replace(Incident incident, IReadOnlyCollection<Evidence> evidence)
    {
        if (string.IsNullOrWhiteSpace(incident.Id))
        {
            throw new InvalidInputException("incident has no id");
        }
        var redacted = _redactor.RedactRecord(incident with { Id = Slug.Normalise(incident.Id) });
        var prepared = PrepareEvidence([.. evidence.Select(e => e with { IncidentId = redacted.Id })]);
        return Write(() =>
        {
            var removed = Db.GetCollection(EvidenceCollection).DeleteMany(Where.StartsWith("_id", EvidencePrefix(redacted.Id)));
            DropAllBlocks(redacted.Id);
            Db.GetCollection(Counters).Delete(redacted.Id);
            Db.GetCollection(Meta).Delete(EvidenceUpdatesKey(redacted.Id));
            Db.GetCollection(Incidents).Upsert(ToDocument(redacted));
            var added = prepared.Count == 0 ? new EvidenceWriteResult(0, 0, []) : InsertEvidence(prepared);
            return new CaseReplaceResult(redacted, removed, added);
        });
    }

    private List<Evidence> PrepareEvidence(IReadOnlyCollection<Evidence> items)
    {
        var now = Now();
        // Redact and key outside the lock: it is the expensive part and needs no database.
        Evidence Prepare(Evidence e)
        {
            var r = _redactor.RedactEvidence(e);
            return r with
            {
                DedupKey = string.IsNullOrEmpty(r.DedupKey) ? ContentKey(r) : _redactor.Redact(r.DedupKey),
                CollectedAt = r.CollectedAt == default ? now : r.CollectedAt,
            };
        }
        // Large batches (pulls, attach) redact on every core; order is kept, so numbering is unchanged.
        return items.Count >= 2000
            ? items.AsParallel().AsOrdered().Select(Prepare).ToList()
            : items.Select(Prepare).ToList();
    }

    private EvidenceWriteResult InsertEvidence(List<Evidence> prepared)
    {
        var col = Db.GetCollection(EvidenceCollection);
        var counters = Db.GetCollection(Counters);
        var numbers = new List<long>();
        var skipped = 0;
        var docs = new List<BsonDocument>(prepared.Count);
        foreach (var group in prepared.GroupBy(e => e.IncidentId))
        {
            if (!Where.Any(Db.GetCollection(Incidents), Where.Equal("_id", group.Key)))
            {
                throw new NotFoundException($"unknown incident '{group.Key}' (see 'incidents list')");
            }
            // One indexed query per chunk rather than one per item: LiteDB's per-query cost dominates otherwise.
            var fresh = new List<(Evidence Item, string Key)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in group)
            {
                var key = UniqueKey(e);
                if (seen.Add(key))
                {
                    fresh.Add((e, key));
                }
            }
            var next = counters.FindById(group.Key)?["next"].AsInt64 ?? 1;
            var known = fresh.Count >= KnownKeysMinimum && _batch is null ? KnownKeysOf(col, group.Key) : null;
            var stored = known is null
                ? ExistingValues(col, "key", fresh.Select(f => f.Key), storedAbout: next - 1)
                : fresh.Where(f => known.Contains(f.Key)).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            skipped += group.Count() - fresh.Count;
            skipped += fresh.RemoveAll(f => stored.Contains(f.Key));
            var takenIds = ExistingValues(col, "_id", fresh.Where(f => f.Item.Number > 0).Select(f => EvidenceId(f.Item.IncidentId, f.Item.Number)), storedAbout: next - 1);
            var used = new HashSet<long>();
            var firstNew = numbers.Count;
            foreach (var (e, key) in fresh)
            {
                var number = e.Number > 0 && !takenIds.Contains(EvidenceId(e.IncidentId, e.Number)) && used.Add(e.Number)
                    ? e.Number
                    : NextFree(ref next, used, takenIds, e.IncidentId);
                next = Math.Max(next, number + 1);
                numbers.Add(number);
                docs.Add(ToDocument(e with { Number = number }, key));
                known?.Add(key);
            }
            counters.Upsert(new BsonDocument { ["_id"] = group.Key, ["next"] = next });
            DropBlocks(group.Key, numbers.Skip(firstNew));
        }
        col.InsertBulk(docs, batchSize: 5000);
        return new EvidenceWriteResult(docs.Count, skipped, numbers);
    }

    /// <summary>Fewer new items than this are checked against the database directly.</summary>
    private const int KnownKeysMinimum = 1_000;

    /// <summary>
    /// The keys of one incident's stored evidence, as 128-bit hashes, exact as of change sequence
    /// <see cref="Sequence"/> of the database. Log-event keys are uniform hashes, so a batch's keys are
    /// spread over the whole index, and checking them there (in ranges: LiteDB's per-query cost rules out
    /// one lookup per key) read most of the incident's evidence again for every batch: attaching
    /// 1,000,000 events took 29 % of InsertBulk's rate against 82 % for 200,000. The set is read once and
    /// kept while the change sequence shows only this store's own writes; any other writer moves the
    /// sequence and the set is read again. Two keys share a hash with a probability of about 2^-128 per
    /// pair, the same odds the event keys themselves (128 bits of SHA-256) already accept.
    /// </summary>
    private sealed class KnownKeys(string incidentId, long sequence)
    {
        private readonly HashSet<UInt128> _hashes = [];

        public string IncidentId { get; } = incidentId;

        public long Sequence { get; set; } = sequence;

        public bool Contains(string key) => _hashes.Contains(Hash(key));

        public void Add(string key) => _hashes.Add(Hash(key));

        private static UInt128 Hash(string key) =>
            System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(key.AsSpan()));
    }

    private KnownKeys? _knownKeys;

    private KnownKeys KnownKeysOf(ILiteCollection<BsonDocument> col, string incidentId)
    {
        var sequence = Db.GetCollection(Meta).FindById("changes")?["value"].AsInt64 ?? 0;
        if (_knownKeys is not { } known || known.IncidentId != incidentId || known.Sequence != sequence)
        {
            known = new KnownKeys(incidentId, sequence);
            // Only the indexed field is selected, so LiteDB reads the index, not the documents.
            foreach (var doc in col.Query().Where(Where.StartsWith("key", incidentId + "\n")).Select("{ key: $.key }").ToEnumerable())
            {
                known.Add(doc["key"].AsString);
            }
            _knownKeys = known;
        }
        // This write bumps the sequence once when it commits (Write); a failed write leaves the database
        // at the old sequence, which no longer matches, so the set is read again rather than trusted.
        known.Sequence = sequence + 1;
        return known;
    }

    private static long NextFree(ref long next, HashSet<long> used, HashSet<string> takenIds, string incidentId)
    {
        while (!used.Add(next) || takenIds.Contains(EvidenceId(incidentId, next)))
        {
            next++;
        }
        return next;
    }

    /// <summary>Which of <paramref name="values"/> of <paramref name="field"/> are stored in <paramref name="col"/>.</summary>
    /// <param name="col">The evidence collection.</param>
    /// <param name="field">An indexed field: key or _id.</param>
    /// <param name="values">The values to look for.</param>
    /// <param name="storedAbout">About how many items the incident holds (its next number less one).</param>
    private HashSet<string> ExistingValues(ILiteCollection<BsonDocument> col, string field, IEnumerable<string> values, long storedAbout)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var wanted = values.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return found;
        }
        // Against an incident many times the batch's size (a `logs follow` poll into a million events),
        // the ranges below would span most of its keys, which are uniform hashes: looking each value up
        // costs what the batch is, not what the incident is.
        if (wanted.Count <= 16 || storedAbout > 8L * wanted.Count)
        {
            foreach (var chunk in wanted.Chunk(16))
            {
                foreach (var doc in col.Find(Where.In(field, chunk.Select(v => new BsonValue(v)))))
                {
                    found.Add(doc[field].AsString);
                }
            }
            return found;
        }
        // Otherwise the incident is not much larger than the batch, and a few range scans over the index
        // cost less than LiteDB's per-query cost of looking each value up: sort in the index's own order,
        // cut into runs, scan each run's range and keep the wanted values.
        var comparer = _collation ??= Db.Collation;
        var sorted = wanted.ToList();
        sorted.Sort(comparer.Compare);
        foreach (var run in sorted.Chunk(4096))
        {
            foreach (var doc in col.Find(Where.Between(field, run[0], run[^1])))
            {
                var value = doc[field].AsString;
                if (wanted.Contains(value))
                {
                    found.Add(value);
                }
            }
        }
        return found;
    }

    public Evidence? FindEvidenceByKey(string incidentId, string dedupKey) => Guard(() =>
    {
        var doc = Db.GetCollection(EvidenceCollection).FindOne(Where.Equal("key", incidentId + "\n" + _redactor.Redact(dedupKey)));
        return doc is null ? null : FromEvidenceDocument(doc);
    });

    public IEnumerable<Evidence> ListEvidence(string incidentId, EvidenceQuery? query = null)
    {
        var kind = query?.Kind is { } k ? Vocabulary.Word(k) : null;
        var link = query?.LinkedTo;
        var result = EvidencePages(incidentId, query?.After ?? 0)
            .Where(e => kind is null || Vocabulary.Word(e.Kind) == kind)
            .Where(e => link is null || e.Supports.Contains(link) || e.Refutes.Contains(link));
        return query?.Limit is { } limit ? result.Take(limit) : result;
    }

    /// <summary>
    /// An incident's evidence in number order, read a page at a time: one incident can hold millions
    /// of log events, and callers (the index, exports) mostly stream them.
    /// </summary>
    private IEnumerable<Evidence> EvidencePages(string incidentId, long after)
    {
        const int Page = 2_000;
        var from = EvidenceId(incidentId, Math.Max(0, after) + 1);
        var to = EvidenceId(incidentId, 999_999_999_999);
        var skipFirst = false;
        while (true)
        {
            var start = from;
            // Each stored document becomes a record as it is read, so the documents (a dictionary per
            // document, most of a read's memory) die young instead of a whole page of them outliving
            // a collection: a render of 10,000 events spent a quarter of its time in the GC copying them.
            var page = Guard(() =>
            {
                var items = new List<Evidence>(Page + 1);
                var shared = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var doc in Db.GetCollection(EvidenceCollection).Find(Where.Between("_id", start, to), 0, Page + 1))
                {
                    items.Add(FromEvidenceDocument(doc, shared));
                }
                return items;
            });
            var rows = skipFirst ? page.Skip(1) : page;
            foreach (var row in rows)
            {
                yield return row;
            }
            if (page.Count < Page + 1)
            {
                yield break;
            }
            // The next page starts at the last row seen (Between is inclusive), which is skipped there.
            from = EvidenceId(incidentId, page[^1].Number);
            skipFirst = true;
        }
    }

    public long CountEvidence(string incidentId) =>
        Guard(() => Db.GetCollection(EvidenceCollection).LongCount(Where.StartsWith("_id", EvidencePrefix(incidentId))));

    public Evidence UpdateEvidence(string incidentId, long number, Func<Evidence, Evidence> change) => Write(() =>
    {
        var col = Db.GetCollection(EvidenceCollection);
        var doc = col.FindById(EvidenceId(incidentId, number))
            ?? throw new NotFoundException($"incident '{incidentId}' has no evidence E{number}");
        var before = FromEvidenceDocument(doc);
        var after = _redactor.RedactEvidence(change(before) with
        {
            IncidentId = before.IncidentId,
            Number = before.Number,
            DedupKey = before.DedupKey,
        });
        col.Update(ToDocument(after, doc["key"].AsString));
        DropBlocks(incidentId, [number]);
        RememberEvidenceUpdate(incidentId, number);
        return after;
    });

    /// <summary>
    /// Notes at which change sequence an item was last changed in place, so a reader that keeps its own
    /// copy (the shared folder) can tell which items to write again without comparing them all.
    /// </summary>
    private void RememberEvidenceUpdate(string incidentId, long number)
    {
        var meta = Db.GetCollection(Meta);
        var key = EvidenceUpdatesKey(incidentId);
        var doc = meta.FindById(key) ?? new BsonDocument { ["_id"] = key, ["numbers"] = new BsonDocument() };
        // The sequence before this write's own bump: a reader that synced at sequence S asks for updates at S or later.
        doc["numbers"].AsDocument[number.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
            meta.FindById("changes")?["value"].AsInt64 ?? 0;
        meta.Upsert(doc);
    }

    private static string EvidenceUpdatesKey(string incidentId) => "evidence-updates/" + incidentId;

    public IReadOnlyList<long> EvidenceUpdatedSince(string incidentId, long changeSequence) => Guard(() =>
    {
        var numbers = Db.GetCollection(Meta).FindById(EvidenceUpdatesKey(incidentId))?["numbers"].AsDocument;
        if (numbers is null)
        {
            return (IReadOnlyList<long>)[];
        }
        return [.. numbers.Where(n => n.Value.AsInt64 >= changeSequence)
            .Select(n => long.Parse(n.Key, System.Globalization.CultureInfo.InvariantCulture)).Order()];
    });

    public string? GetCheckpoint(string key) =>
        Guard(() => Db.GetCollection(Checkpoints).FindById(key)?["value"].AsString);

    public void SetCheckpoint(string key, string? value) => Write(() =>
    {
        var col = Db.GetCollection(Checkpoints);
        if (value is null)
        {
            col.Delete(key);
        }
        else
        {
            col.Upsert(new BsonDocument { ["_id"] = key, ["value"] = value, ["at"] = TimeInput.Format(Now()) });
        }
        return 0;
    });

    public void AddRedactionPattern(string pattern)
    {
        Redactor.CheckNewPattern(pattern);
        Write(() =>
        {
            var col = Db.GetCollection(Meta);
            var doc = col.FindById("redaction") ?? new BsonDocument { ["_id"] = "redaction", ["patterns"] = new BsonArray() };
            var patterns = doc["patterns"].AsArray;
            if (!patterns.Any(p => p.AsString == pattern))
            {
                patterns.Add(pattern);
            }
            col.Upsert(doc);
            return 0;
        });
        LoadRedaction();
    }

    public IReadOnlyList<string> StoredRedactionPatterns => Guard(StoredPatterns);

    public void RemoveRedactionPattern(string pattern)
    {
        // Needs no redaction and builds no regex, so it works even when the stored pattern breaks every write.
        Write(() =>
        {
            var col = Db.GetCollection(Meta);
            var doc = col.FindById("redaction");
            var patterns = doc?["patterns"].AsArray;
            var index = patterns?.ToList().FindIndex(p => p.AsString == pattern) ?? -1;
            if (index < 0)
            {
                throw new NotFoundException($"no stored redaction pattern '{pattern}' (see 'incidents redaction list')");
            }
            patterns!.RemoveAt(index);
            col.Upsert(doc);
            return 0;
        }, countsAsChange: false);
        LoadRedaction();
    }

    public void Dispose()
    {
        try
        {
            lock (_sync)
            {
                _disposed = true;
                Close();
            }
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            // Committed work is in LiteDB's log already; the next open replays it.
        }
        finally
        {
            _idleTimer.Dispose();
        }
    }

    private void Initialise()
    {
        // Most commands open an existing database only to read it: look before writing anything.
        var (schema, migrated) = Guard(() =>
        {
            var meta = Db.GetCollection(Meta);
            return (meta.FindById("schema"), meta.FindById(LogEventKeysMarker) is not null);
        });
        if (schema is not null && schema["version"].AsInt32 > SchemaVersion)
        {
            throw new StoreException(
                $"database '{Location}' has schema version {schema["version"].AsInt32}; this version of incidents reads up to {SchemaVersion}");
        }
        if (schema is null || !migrated || schema["version"].AsInt32 < SchemaVersion)
        {
            Write(() =>
            {
                var meta = Db.GetCollection(Meta);
                var current = meta.FindById("schema");
                if (current is null)
                {
                    meta.Insert(new BsonDocument { ["_id"] = "schema", ["version"] = SchemaVersion, ["application"] = "hokusai-incidents" });
                }
                else if (current["version"].AsInt32 < SchemaVersion)
                {
                    // Older items stay as they are (both layouts are read). An older incidents refuses the
                    // database from now on: version 1 cannot read version 2's items, and version 2 would
                    // change items without dropping the read copy's blocks that hold them (version 3).
                    current["version"] = SchemaVersion;
                    meta.Update(current);
                }
                Db.GetCollection(EvidenceCollection).EnsureIndex("key", unique: true);
                MigrateLogEventKeys(isNew: current is null);
                return 0;
            }, countsAsChange: false);
        }
        LoadRedaction();
    }

    private void LoadRedaction()
    {
        _redactor = new Redactor(_configuredPatterns.Concat(Guard(StoredPatterns)).Distinct());
    }

    private List<string> StoredPatterns() =>
        Db.GetCollection(Meta).FindById("redaction")?["patterns"].AsArray.Select(p => p.AsString).ToList() ?? [];

    private DateTimeOffset Now() => _clock.GetUtcNow();

    private T Write<T>(Func<T> action, bool countsAsChange = true, bool keepsKnownKeys = false) => Guard(() =>
    {
        if (!keepsKnownKeys)
        {
            // Only adding evidence keeps the set of known keys exact; any other write may remove or change keys.
            _knownKeys = null;
        }
        if (_batch is not null)
        {
            // Inside a batch the batch's transaction holds every write; a failure drops the whole batch.
            try
            {
                var inBatch = action();
                if (countsAsChange)
                {
                    BumpChanges();
                }
                return inBatch;
            }
            catch
            {
                _knownKeys = null;
                _batch.Fail();
                throw;
            }
        }
        Db.BeginTrans();
        try
        {
            var result = action();
            if (countsAsChange)
            {
                BumpChanges();
            }
            Db.Commit();
            return result;
        }
        catch
        {
            _knownKeys = null;
            Db.Rollback();
            throw;
        }
    });

    private void BumpChanges()
    {
        var meta = Db.GetCollection(Meta);
        var seq = meta.FindById("changes")?["value"].AsInt64 ?? 0;
        meta.Upsert(new BsonDocument { ["_id"] = "changes", ["value"] = seq + 1 });
    }

    private LiteBatch? _batch;

    public IWriteBatch Batch()
    {
        if (_batch is not null)
        {
            throw new InvalidOperationException("a write batch is already open on this store");
        }
        // Set inside the operation, so the store does not close the database under the new transaction.
        return Guard(() =>
        {
            Db.BeginTrans();
            return _batch = new LiteBatch(this);
        });
    }

    private sealed class LiteBatch(LiteDbIncidentStore store) : IWriteBatch
    {
        private bool _failed;
        private bool _done;

        public void Fail()
        {
            if (!_done)
            {
                _done = true;
                store._batch = null;
                store.Guard(() => store.Db.Rollback());
            }
            _failed = true;
        }

        public void Commit()
        {
            if (_failed)
            {
                throw new InvalidOperationException("a write in this batch failed; nothing of it was stored");
            }
            if (!_done)
            {
                _done = true;
                store._batch = null;
                store.Guard(() => store.Db.Commit());
            }
        }

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                store._batch = null;
                store.Guard(() => store.Db.Rollback());
            }
        }
    }

    /// <summary>
    /// Runs one operation with the database open and this process its only user, mapping LiteDB's
    /// and the file system's errors to one-line store errors.
    /// </summary>
    private T Guard<T>(Func<T> action)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                if (_db is null)
                {
                    OpenUnderLock();
                }
                _depth++;
                try
                {
                    return action();
                }
                finally
                {
                    _depth--;
                    _lastUse = Environment.TickCount64;
                    // An open write batch is one transaction across operations: it keeps the database until it ends.
                    if (_depth == 0 && _batch is null && Environment.TickCount64 - _heldSince > HoldLimit.TotalMilliseconds)
                    {
                        // A long run of operations (an import, a pull, a rebuild reading everything)
                        // gives other processes a turn between two of them.
                        Close();
                        _turnGapUntil = Environment.TickCount64 + (long)TurnGap.TotalMilliseconds;
                    }
                }
            }
            catch (LiteException e)
            {
                throw new StoreException($"database '{Location}': {OneLine(e.Message)}", e);
            }
            catch (IOException e)
            {
                throw new StoreException($"database '{Location}': {OneLine(e.Message)}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new StoreException($"database '{Location}': {OneLine(e.Message)}", e);
            }
        }
    }

    private void OpenUnderLock()
    {
        var gap = _turnGapUntil - Environment.TickCount64;
        if (gap > 0)
        {
            Thread.Sleep((int)gap);
        }
        _lock = StoreFileLock.Acquire(Location, LockTimeout);
        try
        {
            _db = new LiteDatabase(new ConnectionString { Filename = Location, Connection = ConnectionType.Direct });
        }
        catch
        {
            _lock.Dispose();
            _lock = null;
            throw;
        }
        _heldSince = Environment.TickCount64;
        _idleTimer.Change(IdleLimit, IdleLimit);
    }

    /// <summary>Closes the database (LiteDB checkpoints its log into the file) and releases the lock.</summary>
    private void Close()
    {
        if (_db is null)
        {
            return;
        }
        _idleTimer.Change(Timeout.Infinite, Timeout.Infinite);
        try
        {
            _db.Dispose();
        }
        finally
        {
            _db = null;
            _lock?.Dispose();
            _lock = null;
        }
    }

    private void CloseIfIdle()
    {
        // Never wait for the store here: a busy store is not idle, and a timer callback that blocks holds a
        // thread-pool thread. While a write holds the store its commit waits for LiteDB's disk writer, which
        // runs on the thread pool too; blocked timer callbacks arriving faster than the pool adds threads
        // starved that writer and hung the process (seen once in CI, in StoreTurnTests).
        if (!_sync.TryEnter())
        {
            return;
        }
        try
        {
            if (_db is not null && _depth == 0 && _batch is null && Environment.TickCount64 - _lastUse >= IdleLimit.TotalMilliseconds)
            {
                try
                {
                    Close();
                }
                catch (Exception e) when (e is LiteException or IOException)
                {
                    // Nothing is pending between operations; the next operation reopens and reports.
                }
            }
        }
        finally
        {
            _sync.Exit();
        }
    }

    /// <summary>The field holding an incident as UTF-8 JSON (schema version 3).</summary>
    private const string IncidentJsonField = "json";

    // Schema version 3: the incident as the JSON its serializer writes, in one binary value. Nothing queries
    // an incident's fields inside LiteDB (lists filter records), and a field per member cost a large
    // incident (100 hypotheses, 1,000 tasks) 3.7 MB of BSON values and about 40 ms on every read, where
    // reading the JSON takes 0.8 MB and a few milliseconds.
    private static BsonDocument ToDocument(Incident incident) => new()
    {
        ["_id"] = incident.Id,
        [IncidentJsonField] = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Compact.TypeInfo<Incident>()),
    };

    internal static Incident FromDocument(BsonDocument doc) =>
        (doc.TryGetValue(IncidentJsonField, out var json) && json.IsBinary
            ? System.Text.Json.JsonSerializer.Deserialize(json.AsBinary, IncidentJson.Options.TypeInfo<Incident>())
            // Stored by schema version 1 or 2 (a field per member), until the incident is next written.
            : System.Text.Json.JsonSerializer.Deserialize(BsonToJson.Write(doc, skip: "_id").Span, IncidentJson.Options.TypeInfo<Incident>()))
        ?? throw new System.Text.Json.JsonException("document is null");

    private static string EvidencePrefix(string incidentId) => incidentId + "/";

    // Zero-padded so that LiteDB's ordered _id index yields evidence in number order.
    private static string EvidenceId(string incidentId, long number) => $"{incidentId}/{number:D12}";

    private static string UniqueKey(Evidence e) => e.IncidentId + "\n" + e.DedupKey;

    private static string ContentKey(Evidence e)
    {
        var text = string.Join('\u001f', Vocabulary.Word(e.Kind), e.Source ?? "", e.Time is { } t ? TimeInput.Format(t) : "", e.Content);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    // Schema version 2: what LiteDB looks up as fields, the rest in one binary value (StoredEvidence).
    private static BsonDocument ToDocument(Evidence e, string key) => new()
    {
        ["_id"] = EvidenceId(e.IncidentId, e.Number),
        ["key"] = key,
        [StoredEvidence.Field] = StoredEvidence.Encode(e),
    };

    internal static Evidence FromEvidenceDocument(BsonDocument doc) => FromEvidenceDocument(doc, null);

    /// <summary>
    /// <paramref name="shared"/>, when given, keeps one copy of the values many items repeat (the incident,
    /// the log group and stream, attribute names): reading 10,000 log events kept 10,000 copies of each.
    /// </summary>
    private static Evidence FromEvidenceDocument(BsonDocument doc, Dictionary<string, string>? shared)
    {
        if (doc.TryGetValue(StoredEvidence.Field, out var stored) && stored.IsBinary)
        {
            return StoredEvidence.Decode(doc["_id"].AsString, doc["key"].AsString, stored.AsBinary, shared);
        }
        // Stored by schema version 1 (a field per member), until the item is next written.
        static IReadOnlyList<string> Strings(BsonValue v) => v.IsArray ? v.AsArray.Select(x => x.AsString).ToList() : [];
        string Shared(string value) => shared is null ? value : StoredEvidence.Shared(value, shared);
        string? Optional(BsonValue v) => v.IsNull ? null : Shared(v.AsString);
        var attrs = doc["attributes"];
        Dictionary<string, string> attributes;
        if (attrs.IsDocument)
        {
            var fields = attrs.AsDocument;
            attributes = new Dictionary<string, string>(fields.Count, StringComparer.Ordinal);
            foreach (var (name, value) in fields)
            {
                attributes[Shared(name)] = StoredEvidence.RepeatedAttributes.Contains(name) ? Shared(value.AsString) : value.AsString;
            }
        }
        else
        {
            attributes = [];
        }
        return new Evidence
        {
            IncidentId = Shared(doc["incidentId"].AsString),
            Number = doc["number"].AsInt64,
            Kind = Vocabulary.ParseEvidenceKind(doc["kind"].AsString),
            Content = doc["content"].AsString,
            Source = Optional(doc["source"]),
            Time = doc["time"].IsNull ? null : new DateTimeOffset(doc["time"].AsInt64, TimeSpan.Zero),
            Title = doc["title"].IsNull ? null : doc["title"].AsString,
            Language = Optional(doc["language"]),
            Supports = Strings(doc["supports"]),
            Refutes = Strings(doc["refutes"]),
            Attributes = attributes,
            DedupKey = doc["dedupKey"].AsString,
            CollectedAt = new DateTimeOffset(doc["collectedAt"].AsInt64, TimeSpan.Zero),
        };
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

public sealed record StoreOptions
{
    public TimeProvider? Clock { get; init; }
    /// <summary>Redaction patterns on top of the built-in ones and those kept in the database.</summary>
    public IReadOnlyList<string> ExtraRedactionPatterns { get; init; } = [];
}
