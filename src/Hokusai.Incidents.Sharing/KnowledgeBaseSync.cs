using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Hokusai.Incidents.Rendering;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Sharing;

public sealed record SyncOptions
{
    /// <summary>Templates for the rendered documents written beside each record; none means no documents.</summary>
    public TemplateSet? Templates { get; init; }
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Called after each incident with (done, total).</summary>
    public Action<int, int>? Progress { get; init; }
}

/// <summary>What sync did to one incident. <see cref="StoreChanged"/> tells the caller to refresh derived data (the search index).</summary>
public sealed record IncidentSyncReport(string Id, string Action, string? Detail, IReadOnlyList<MergeConflict> Conflicts, bool StoreChanged, bool StoreDeleted);

public sealed record SyncReport(string Folder, int Unchanged, IReadOnlyList<IncidentSyncReport> Incidents)
{
    public int Conflicts => Incidents.Sum(i => i.Conflicts.Count);
}

/// <summary>
/// Two-way sync of a store with the shared folder against the state both had at the last sync:
/// what changed only in the folder (a <c>git pull</c>) is read into the store, what changed only
/// locally is written to the folder, an incident changed on both sides is merged item by item, and
/// deletions travel both ways. Everything read from the folder is redacted like any other input.
/// </summary>
public sealed class KnowledgeBaseSync(IIncidentStore store, KnowledgeFolder folder, SyncStateFiles stateFiles, SyncOptions options)
{
    private const int Batch = 5_000;

    /// <summary>
    /// Store writes are grouped into transactions of about this weight (an incident counts 100, an
    /// evidence item 1): one commit per incident was most of a first sync's time.
    /// </summary>
    private const int TransactionWeight = 20_000;

    // One renderer for the whole run, made when first needed: it keeps the templates it has parsed.
    private readonly Lazy<DocumentRenderer?> _renderer = new(() => options.Templates is { } t ? new DocumentRenderer(t) : null);

    // Rendering needs nothing from the store once the evidence is read: one worker renders and writes the
    // documents while this thread goes on with the next incident (a first sync renders every incident).
    private readonly BlockingCollection<(string Directory, RenderInput Input)> _toRender = new(boundedCapacity: 32);
    private Task? _renderWorker;
    private ExceptionDispatchInfo? _renderFailure;

    private IWriteBatch? _transaction;
    private int _pendingWeight;
    private long _lastSequence;
    private long _racyFrom;

    /// <summary>
    /// Whether nothing changed on either side since the last sync, told from file stamps alone: the
    /// database files and every record and evidence file as they were then. It opens neither the store
    /// nor any record, so an unchanged folder costs about what <c>git status</c> pays (a stat per file).
    /// Null means "look closer" (<see cref="Run"/>), never "changed" for sure.
    /// </summary>
    public static SyncReport? Unchanged(KnowledgeFolder folder, SyncStateFiles stateFiles)
    {
        var state = stateFiles.Load();
        var racy = state.SavedTicks - SyncStateFiles.RacyWindow.Ticks;
        if (state.Store is not { } was || stateFiles.StampStore() != was || was.Ticks >= racy || was.LogTicks >= racy
            || !File.Exists(Path.Combine(folder.Root, KnowledgeFolder.ReadmeName)))
        {
            return null;
        }
        var ids = folder.Ids();
        if (ids.Count != state.Incidents.Count)
        {
            return null;
        }
        foreach (var id in ids)
        {
            if (!state.Incidents.TryGetValue(id, out var entry))
            {
                return null;
            }
            var files = folder.TrackedFiles(id);
            if (files.Count != entry.Files.Count)
            {
                return null;
            }
            foreach (var file in files)
            {
                if (!entry.Files.TryGetValue(file, out var stamp) || stamp.Ticks >= racy)
                {
                    return null;
                }
                var now = KnowledgeFolder.Stamp(Path.Combine(folder.DirectoryOf(id), file), withHash: false);
                if (now.Size != stamp.Size || now.Ticks != stamp.Ticks)
                {
                    return null;
                }
            }
        }
        return new SyncReport(folder.Root, ids.Count, []);
    }

    public SyncReport Run(CancellationToken cancellationToken = default)
    {
        _transaction = store.Batch();
        try
        {
            var report = RunInTransactions(cancellationToken);
            _transaction.Commit();
            _transaction = null;
            FinishRendering();
            _renderFailure?.Throw();
            SaveState(report.Next);
            return report.Report;
        }
        finally
        {
            _transaction?.Dispose();
            FinishRendering();
        }
    }

    private void FinishRendering()
    {
        if (!_toRender.IsAddingCompleted)
        {
            _toRender.CompleteAdding();
        }
        _renderWorker?.Wait();
    }

    private void RenderQueued()
    {
        var renderer = _renderer.Value!;
        var names = options.Templates!.Names;
        foreach (var (directory, input) in _toRender.GetConsumingEnumerable())
        {
            if (_renderFailure is not null)
            {
                // Drained without work, so the producer never waits on a full queue.
                continue;
            }
            try
            {
                foreach (var d in renderer.RenderAll(names, input))
                {
                    KnowledgeFolder.WriteIfChanged(Path.Combine(directory, d.FileName), d.Markdown);
                }
            }
            catch (Exception e)
            {
                _renderFailure = ExceptionDispatchInfo.Capture(e);
            }
        }
    }

    /// <summary>Counts store writes; past <see cref="TransactionWeight"/> the open transaction is committed and a new one begun.</summary>
    private void Wrote(int weight)
    {
        _pendingWeight += weight;
        if (_pendingWeight >= TransactionWeight && _transaction is not null)
        {
            _transaction.Commit();
            _transaction = store.Batch();
            _pendingWeight = 0;
        }
    }

    private void SaveState(Dictionary<string, IncidentSyncState> next) =>
        stateFiles.Save(new SyncState { StoreSequence = store.ChangeSequence, Store = stateFiles.StampStore(), Incidents = next });

    private (SyncReport Report, Dictionary<string, IncidentSyncState> Next) RunInTransactions(CancellationToken cancellationToken)
    {
        var state = stateFiles.Load();
        _lastSequence = state.StoreSequence;
        _racyFrom = state.SavedTicks - SyncStateFiles.RacyWindow.Ticks;
        var storeChanged = store.ChangeSequence != state.StoreSequence;
        var local = storeChanged ? store.List().ToDictionary(i => i.Id, StringComparer.Ordinal) : null;
        var folderIds = folder.Ids().ToHashSet(StringComparer.Ordinal);
        var ids = new SortedSet<string>(folderIds, StringComparer.Ordinal);
        ids.UnionWith(local?.Keys ?? (IEnumerable<string>)state.Incidents.Keys);
        ids.UnionWith(state.Incidents.Keys);

        var next = new Dictionary<string, IncidentSyncState>(StringComparer.Ordinal);
        var reports = new List<IncidentSyncReport>();
        var unchanged = 0;
        var done = 0;
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = SyncOne(id, state.Incidents.GetValueOrDefault(id), folderIds.Contains(id), local, next, folderIds);
            Wrote(report is { Count: > 0 } && report.Any(r => r.StoreChanged || r.StoreDeleted) ? 100 : 0);
            if (report is null)
            {
                unchanged++;
            }
            else
            {
                reports.AddRange(report);
            }
            options.Progress?.Invoke(++done, ids.Count);
        }
        if (reports.Count > 0 || !File.Exists(Path.Combine(folder.Root, KnowledgeFolder.ReadmeName)))
        {
            Directory.CreateDirectory(folder.Root);
            folder.WriteReadme(store.List());
        }
        return (new SyncReport(folder.Root, unchanged, reports), next);
    }

    private IReadOnlyList<IncidentSyncReport>? SyncOne(
        string id, IncidentSyncState? entry, bool inFolder, Dictionary<string, Incident>? local,
        Dictionary<string, IncidentSyncState> next, HashSet<string> folderIds)
    {
        // When the store's change sequence has not moved, it holds exactly what it held at the last sync.
        var mine = local is null ? (entry is null ? null : Lazy(id)) : local.GetValueOrDefault(id) is { } found ? new Lazy<Incident>(found) : null;
        var localPresent = local is null ? entry is not null : mine is not null;
        var stamps = entry is null ? null : FolderStamps(id, entry);
        var folderChanged = entry is null ? inFolder : !inFolder || stamps is null;
        var localChanged = entry is null
            ? localPresent
            : local is not null && (mine is null || mine.Value.Revision != entry.Revision || HasEvidenceAfter(id, entry.LastEvidence)
                || store.EvidenceUpdatedSince(id, _lastSequence).Count > 0);

        if (!inFolder && !localPresent)
        {
            stateFiles.DeleteBase(id);
            return entry is null ? null : [];
        }
        if (entry is not null && !folderChanged && !localChanged)
        {
            next[id] = entry with { Files = stamps! };
            return null;
        }
        if (entry is null)
        {
            if (!inFolder)
            {
                return [Export(id, mine!.Value, null, next, "written", "new here")];
            }
            if (!localPresent)
            {
                return [Import(id, null, next, "read", "new in the folder")];
            }
            var folderRecord = ReadFolder(id);
            var localIncident = mine!.Value;
            if (folderRecord.Incident.CreatedAt != localIncident.CreatedAt)
            {
                return Rename(id, localIncident, next, folderIds);
            }
            return [Merge(id, null, localIncident, next)];
        }
        if (!inFolder)
        {
            if (!localChanged)
            {
                store.Delete(id);
                stateFiles.DeleteBase(id);
                return [new IncidentSyncReport(id, "deleted", "deleted in the folder, so deleted here", [], false, true)];
            }
            return [Export(id, mine!.Value, null, next, "kept", "deleted in the folder but changed here since; written back")];
        }
        if (!localPresent)
        {
            if (!folderChanged)
            {
                folder.Delete(id);
                stateFiles.DeleteBase(id);
                return [new IncidentSyncReport(id, "deleted-from-folder", "deleted here, so deleted from the folder", [], false, false)];
            }
            return [Import(id, null, next, "kept", "deleted here but changed in the folder since; read back")];
        }
        if (folderChanged && ReadFolder(id).Incident.CreatedAt.ToString("O") != entry.CreatedAt)
        {
            // The folder's directory now holds another incident under this id (created in another clone).
            return Rename(id, mine!.Value, next, folderIds);
        }
        if (folderChanged && !localChanged)
        {
            return [Import(id, entry, next, "read", null)];
        }
        if (!folderChanged)
        {
            return [Export(id, mine!.Value, entry, next, "written", null)];
        }
        return [Merge(id, entry, mine!.Value, next)];
    }

    private Lazy<Incident> Lazy(string id) => new(() => store.Get(id));

    private bool HasEvidenceAfter(string id, long number) =>
        store.ListEvidence(id, new EvidenceQuery { After = number, Limit = 1 }).Any();

    /// <summary>The folder files' stamps when none changed since the last sync (by content), else null.</summary>
    private Dictionary<string, FileStamp>? FolderStamps(string id, IncidentSyncState entry)
    {
        var files = folder.TrackedFiles(id);
        if (files.Count != entry.Files.Count)
        {
            return null;
        }
        var result = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!entry.Files.TryGetValue(file, out var was))
            {
                return null;
            }
            var path = Path.Combine(folder.DirectoryOf(id), file);
            var now = KnowledgeFolder.Stamp(path, withHash: false);
            if (now.Size != was.Size)
            {
                return null;
            }
            if (now.Ticks != was.Ticks || was.Ticks >= _racyFrom)
            {
                // Touched (a checkout, a pull), or written too close to the last sync for its time to tell:
                // the same content still counts as unchanged.
                var hash = KnowledgeFolder.Hash(path);
                if (hash != was.Hash)
                {
                    return null;
                }
                now = now with { Hash = hash };
            }
            else
            {
                now = was;
            }
            result[file] = now;
        }
        return result;
    }

    private FolderRecord ReadFolder(string id)
    {
        var source = $"{Path.GetFileName(folder.Root)}/{id}/{FolderRecord.FileName}";
        return FolderRecord.Parse(File.ReadAllText(folder.RecordPath(id)), source);
    }

    /// <summary>Store → folder: the record, the evidence (appended, or all of it when the record changed) and the documents.</summary>
    private IncidentSyncReport Export(string id, Incident incident, IncidentSyncState? entry, Dictionary<string, IncidentSyncState> next, string action, string? detail)
    {
        var dir = folder.DirectoryOf(id);
        long last;
        var evidenceUpdated = false;
        if (entry is not null && entry.Revision == incident.Revision && Directory.Exists(dir))
        {
            // Items changed in place (a link to a hypothesis) are in files already written: those files are written again.
            foreach (var chunk in store.EvidenceUpdatedSince(id, _lastSequence).Where(n => n <= entry.LastEvidence).Select(EvidenceFiles.ChunkOf).Distinct())
            {
                // Up to what the folder held at the last sync: newer items are appended below.
                var first = (long)(chunk - 1) * EvidenceFiles.ChunkSize;
                var held = (int)Math.Min(EvidenceFiles.ChunkSize, entry.LastEvidence - first);
                evidenceUpdated |= EvidenceFiles.Write(dir, store.ListEvidence(id, new EvidenceQuery { After = first, Limit = held }), appendAfter: first).Count > 0;
            }
            last = AppendEvidence(id, dir, entry.LastEvidence);
        }
        else
        {
            last = 0;
            EvidenceFiles.Write(dir, Track(store.ListEvidence(id), n => last = n));
        }
        var text = FolderRecord.Format(incident, last);
        var recordChanged = KnowledgeFolder.WriteIfChanged(folder.RecordPath(id), text);
        if (evidenceUpdated || (recordChanged && (entry is null || entry.Revision != incident.Revision || last <= EvidenceFiles.ChunkSize)))
        {
            RenderDocuments(id, incident, last);
        }
        Remember(id, incident, last, text, next);
        return new IncidentSyncReport(id, action, detail, [], false, false);
    }

    private long AppendEvidence(string id, string dir, long after)
    {
        var last = after;
        EvidenceFiles.Write(dir, Track(store.ListEvidence(id, new EvidenceQuery { After = after }), n => last = n), appendAfter: after);
        return last;
    }

    private static IEnumerable<Evidence> Track(IEnumerable<Evidence> items, Action<long> seen)
    {
        foreach (var e in items)
        {
            seen(e.Number);
            yield return e;
        }
    }

    /// <summary>Folder → store: the record as it is in the folder (redacted), and the evidence added there.</summary>
    private IncidentSyncReport Import(string id, IncidentSyncState? entry, Dictionary<string, IncidentSyncState> next, string action, string? detail)
    {
        var record = ReadFolder(id);
        var existing = store.Find(id);
        var incident = store.Put(store.Redactor.RedactRecord(record.Incident) with
        {
            Id = id,
            Revision = (existing?.Revision ?? 0) + 1,
            UpdatedAt = options.Clock.GetUtcNow(),
        });
        var dir = folder.DirectoryOf(id);
        var redactedAway = existing is null || entry is null
            ? AddAll(id, EvidenceFiles.Read(dir, id))
            : ApplyChangedEvidence(id, incident, entry);
        var last = LastEvidenceNumber(id, Math.Max(0, record.LastEvidence - EvidenceFiles.ChunkSize));
        var text = FolderRecord.Format(incident, last);
        // What the folder holds must be what the store holds: redacted, conflicts reported once.
        var recordRewritten = KnowledgeFolder.WriteIfChanged(folder.RecordPath(id), text);
        if (redactedAway)
        {
            EvidenceFiles.Write(dir, store.ListEvidence(id));
        }
        // A first read of a folder another clone wrote finds its documents rendered from this very
        // record; they are only rendered again when reading changed the record or some are missing.
        var documentsCurrent = entry is null && existing is null && !recordRewritten && !redactedAway && DocumentsPresent(id);
        if (!documentsCurrent)
        {
            RenderDocuments(id, incident, last);
        }
        Remember(id, incident, last, text, next);
        return new IncidentSyncReport(id, action, detail, record.Conflicts, true, false);
    }

    /// <summary>Adds evidence in batches; true when redaction changed some of it (the folder must then be rewritten).</summary>
    private bool AddAll(string id, IEnumerable<Evidence> items)
    {
        var redacted = false;
        foreach (var batch in items.Chunk(Batch))
        {
            redacted |= batch.Any(e => store.Redactor.RedactEvidence(e) != e);
            store.AddEvidence(batch);
            Wrote(batch.Length);
        }
        return redacted;
    }

    /// <summary>
    /// Evidence files changed in the folder since the last sync: items added there are added, changed
    /// links are applied, and when a git merge renumbered items the store's evidence is rebuilt from the folder.
    /// </summary>
    private bool ApplyChangedEvidence(string id, Incident incident, IncidentSyncState entry)
    {
        var dir = folder.DirectoryOf(id);
        var toAdd = new List<Evidence>();
        var toRelink = new List<Evidence>();
        foreach (var (chunk, path) in EvidenceFiles.List(dir))
        {
            var relative = EvidenceFiles.RelativePath(chunk);
            if (entry.Files.TryGetValue(relative, out var was) && KnowledgeFolder.Hash(path) == was.Hash)
            {
                continue;
            }
            var first = (long)(chunk - 1) * EvidenceFiles.ChunkSize;
            var stored = store.ListEvidence(id, new EvidenceQuery { After = first, Limit = EvidenceFiles.ChunkSize }).ToDictionary(e => e.Number);
            var seen = new HashSet<long>();
            foreach (var e in EvidenceFiles.Read(dir, id, first).Where(e => EvidenceFiles.ChunkOf(e.Number) == chunk))
            {
                seen.Add(e.Number);
                if (!stored.TryGetValue(e.Number, out var s))
                {
                    toAdd.Add(e);
                }
                else if (s.DedupKey != store.Redactor.RedactEvidence(e).DedupKey)
                {
                    return Rebuild(id, incident, EvidenceFiles.Read(dir, id));
                }
                else if (!s.Supports.SequenceEqual(e.Supports) || !s.Refutes.SequenceEqual(e.Refutes))
                {
                    toRelink.Add(e);
                }
            }
            if (stored.Keys.Any(n => !seen.Contains(n)))
            {
                return Rebuild(id, incident, EvidenceFiles.Read(dir, id));
            }
        }
        foreach (var e in toRelink)
        {
            store.UpdateEvidence(id, e.Number, x => x with { Supports = e.Supports, Refutes = e.Refutes });
        }
        return AddAll(id, toAdd);
    }

    /// <summary>The store cannot renumber evidence in place: the incident is written again with the given evidence.</summary>
    private bool Rebuild(string id, Incident incident, IEnumerable<Evidence> evidence)
    {
        var items = evidence.ToList();
        store.Delete(id);
        store.Put(incident);
        return AddAll(id, items);
    }

    private long LastEvidenceNumber(string id, long atLeast)
    {
        var last = atLeast;
        foreach (var e in store.ListEvidence(id, new EvidenceQuery { After = atLeast }))
        {
            last = e.Number;
        }
        return last;
    }

    /// <summary>Changed on both sides: three-way merge of the records, the evidence both sides added renumbered apart.</summary>
    private IncidentSyncReport Merge(string id, IncidentSyncState? entry, Incident mine, Dictionary<string, IncidentSyncState> next)
    {
        var baseText = entry is null ? null : stateFiles.ReadBase(id);
        var baseNode = baseText is null ? null : FolderRecord.ParseNode(baseText, $"last synced state of '{id}'");
        var baseLast = entry?.LastEvidence ?? 0;
        var localAdded = store.ListEvidence(id, new EvidenceQuery { After = baseLast }).ToList();
        var localNode = FolderRecord.ToNode(mine, localAdded.Count > 0 ? localAdded[^1].Number : baseLast);
        var folderRecord = ReadFolder(id);
        var folderNode = FolderRecord.ToNode(store.Redactor.RedactRecord(folderRecord.Incident), folderRecord.LastEvidence);
        var result = RecordMerge.Merge(baseNode, localNode, folderNode);
        var merged = FolderRecord.FromNode(result.Merged, id).Incident with
        {
            Id = id,
            Revision = mine.Revision + 1,
            UpdatedAt = options.Clock.GetUtcNow(),
        };
        var plan = result.Plan;
        // The folder holds the shared history; local links on items both have are kept, local additions follow the plan.
        var localKnown = store.ListEvidence(id).Where(e => e.Number <= plan.BaseLastEvidence).ToDictionary(e => e.Number);
        var evidence = new List<Evidence>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in EvidenceFiles.Read(folder.DirectoryOf(id), id))
        {
            var item = localKnown.TryGetValue(e.Number, out var mineItem) && mineItem.DedupKey == e.DedupKey
                ? e with { Supports = [.. e.Supports.Union(mineItem.Supports)], Refutes = [.. e.Refutes.Union(mineItem.Refutes)] }
                : e;
            evidence.Add(item);
            keys.Add(item.DedupKey ?? "");
        }
        evidence.AddRange(localAdded.Where(e => !keys.Contains(e.DedupKey ?? "")).Select(e => Renumbered(e, plan)));
        Rebuild(id, merged, evidence);
        var stored = store.Get(id);
        var last = LastEvidenceNumber(id, 0);
        var dir = folder.DirectoryOf(id);
        EvidenceFiles.Write(dir, store.ListEvidence(id));
        var text = FolderRecord.Format(stored, last);
        KnowledgeFolder.WriteIfChanged(folder.RecordPath(id), text);
        RenderDocuments(id, stored, last);
        Remember(id, stored, last, text, next);
        var conflicts = folderRecord.Conflicts.Concat(result.Conflicts).ToList();
        var renames = plan.Hypotheses.Select(p => $"H{p.Key}→H{p.Value}").Concat(plan.Tasks.Select(p => $"T{p.Key}→T{p.Value}")).ToList();
        if (plan.EvidenceShift != 0)
        {
            renames.Add($"local evidence after E{plan.BaseLastEvidence} moved up by {plan.EvidenceShift}");
        }
        var detail = renames.Count == 0 ? "changed on both sides" : $"changed on both sides; local items renumbered: {string.Join(", ", renames)}";
        return new IncidentSyncReport(id, "merged", detail, conflicts, true, false);
    }

    private static Evidence Renumbered(Evidence e, MergePlan plan) => e with
    {
        Number = plan.RenameEvidence(e.Number),
        Supports = [.. e.Supports.Select(plan.RenameLink)],
        Refutes = [.. e.Refutes.Select(plan.RenameLink)],
    };

    /// <summary>The id is taken in the folder by another incident: the local one moves to a free id, the folder's is read in.</summary>
    private IReadOnlyList<IncidentSyncReport> Rename(string id, Incident mine, Dictionary<string, IncidentSyncState> next, HashSet<string> folderIds)
    {
        var newId = id;
        for (var n = 2; folderIds.Contains(newId) || store.Find(newId) is not null || Directory.Exists(folder.DirectoryOf(newId)); n++)
        {
            newId = $"{id}-{n}";
        }
        var evidence = store.ListEvidence(id).Select(e => e with { IncidentId = newId }).ToList();
        var moved = store.Put(mine with { Id = newId });
        foreach (var batch in evidence.Chunk(Batch))
        {
            store.AddEvidence(batch);
        }
        store.Delete(id);
        stateFiles.DeleteBase(id);
        var read = Import(id, null, next, "read", "new in the folder");
        var written = Export(newId, moved, null, next, "renamed",
            $"the local incident '{id}' was renamed to '{newId}': another incident under that id came from the folder");
        return [read, written with { StoreChanged = true }, new IncidentSyncReport(id, "renamed-away", $"local incident moved to '{newId}'", [], false, true)];
    }

    private bool DocumentsPresent(string id) =>
        options.Templates is not { } templates
        || templates.Names.All(name => File.Exists(Path.Combine(folder.DirectoryOf(id), new RenderedDocument(name, "").FileName)));

    private void RenderDocuments(string id, Incident incident, long last)
    {
        if (options.Templates is null)
        {
            return;
        }
        _renderFailure?.Throw();
        // Documents show the newest evidence; an incident with millions of log events renders from its last file's worth.
        var evidence = store.ListEvidence(id, new EvidenceQuery { After = Math.Max(0, last - EvidenceFiles.ChunkSize) }).ToList();
        _renderWorker ??= Task.Factory.StartNew(RenderQueued, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _toRender.Add((folder.DirectoryOf(id), new RenderInput { Incident = incident, Evidence = evidence }));
    }

    private void Remember(string id, Incident incident, long last, string recordText, Dictionary<string, IncidentSyncState> next)
    {
        var files = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        foreach (var file in folder.TrackedFiles(id))
        {
            files[file] = KnowledgeFolder.Stamp(Path.Combine(folder.DirectoryOf(id), file), withHash: true);
        }
        next[id] = new IncidentSyncState { Revision = incident.Revision, LastEvidence = last, CreatedAt = incident.CreatedAt.ToString("O"), Files = files };
        stateFiles.WriteBase(id, recordText);
    }
}
