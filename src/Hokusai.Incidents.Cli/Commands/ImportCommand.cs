using System.CommandLine;
using Hokusai.Incidents.Files;
using Hokusai.Incidents.Import;
using Hokusai.Incidents.Import.Grouping;
using Hokusai.Incidents.Search;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>
/// <c>import FILE...</c>: case files (JSON) go back in as they were exported; everything else is read
/// as a Markdown investigation document and merged into one incident.
/// </summary>
public static class ImportCommand
{
    public static Command Create(CliApp app)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Case files (.json), Markdown documents, or directories (walked for *.md)",
            Arity = ArgumentArity.OneOrMore,
        };
        var replace = new Option<bool>("--replace") { Description = "Overwrite an existing incident that differs from the case file" };
        var into = Options.Text("--into", "Merge Markdown documents into this incident instead of creating one");
        var together = new Option<bool>("--together") { Description = "Put all the Markdown documents into one incident" };
        var separate = new Option<bool>("--separate") { Description = "Make one incident per Markdown document" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show which documents make which incident and what each adds; write nothing" };
        var json = Options.Json();
        var command = new Command("import",
            $"Import case files or Markdown documents, one incident per incident they describe (Markdown up to {MarkdownInvestigationReader.MaxBytes / (1024 * 1024)} MiB each)")
        { files, replace, into, together, separate, dryRun, json };
        app.SetAction(command, (inv, ct) =>
        {
            var results = new List<object>();
            var failed = 0;
            var asJson = inv.Get(json);
            var dry = inv.Get(dryRun);
            var intoId = inv.Get(into);
            var modes = (inv.Get(together) ? 1 : 0) + (inv.Get(separate) ? 1 : 0) + (intoId is null ? 0 : 1);
            if (modes > 1)
            {
                throw new InvalidInputException("--together, --separate and --into each decide which incident a document goes to; give at most one");
            }
            var mode = inv.Get(together) ? GroupingMode.Together : inv.Get(separate) ? GroupingMode.Separate : GroupingMode.BySubject;
            if (dry)
            {
                inv.UseScratchStoreIfMissing();
            }
            if (intoId is not null)
            {
                // An unknown target is a mistake in the whole command, not in one file.
                inv.Store.Get(intoId);
            }
            var documents = new List<ImportedDocument>();
            var fileReports = new Dictionary<ImportedDocument, int>(ReferenceEqualityComparer.Instance);
            foreach (var file in Expand(inv, inv.Get(files)!))
            {
                // A signal stops between files: every file imported so far stays imported.
                ct.ThrowIfCancellationRequested();
                try
                {
                    if (ReadWhole(inv.FullPath(file), file) is { } whole)
                    {
                        results.Add(ImportCase(inv, file, whole, inv.Get(replace), dry, asJson));
                        continue;
                    }
                    var bytes = ReadFile(inv.FullPath(file), file);
                    var text = MarkdownInvestigationReader.Decode(bytes, file);
                    if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || CaseFile.LooksLikeCaseFile(text))
                    {
                        results.Add(ImportCase(inv, file, text, inv.Get(replace), dry, asJson));
                        continue;
                    }
                    var doc = MarkdownInvestigationReader.Read(text, file, redactor: inv.Store.Redactor);
                    foreach (var warning in doc.Warnings)
                    {
                        inv.Warn(inv.Store.Redactor.Redact(warning));
                    }
                    if (doc.IsEmpty)
                    {
                        results.Add(new SkippedFileReport(file, "markdown", true, doc.Warnings));
                        continue;
                    }
                    // Reported once its incident is known, in the place the file was given.
                    fileReports[doc] = results.Count;
                    results.Add(null!);
                    documents.Add(doc);
                }
                catch (InvalidInputException e)
                {
                    // One bad file does not stop the others.
                    inv.Fail(e.Message, e);
                    results.Add(new FailedFileReport(file, inv.Store.Redactor.Redact(e.Message)));
                    failed++;
                }
            }
            var groups = DocumentGrouping.Group(documents, documents.Count == 0 || intoId is not null ? [] : inv.Store.List(), mode, intoId);
            var markdown = new IncidentImport(inv.Store, new ImportOptions { IntoId = intoId, DryRun = dry }, inv.Env.Clock);
            string? lastChanged = null;
            // The search index is fed on the other core as batches commit, instead of catching up after.
            using var feed = dry || groups.Count == 0 ? null : StartFeed(inv);
            // The incidents a batch wrote, as stored, and whether they may hold evidence from before this batch or its documents.
            var written = new Dictionary<string, (Incident Incident, bool HasEvidence)>(StringComparer.Ordinal);
            long batchStart = 0;
            IWriteBatch Open()
            {
                var opened = inv.Store.Batch();
                // Read inside the batch's transaction: no other process can write until it commits.
                batchStart = feed is null ? 0 : inv.Store.ChangeSequence;
                return opened;
            }
            void Committed(IWriteBatch done)
            {
                feed?.OwnChanges(inv.Store.ChangeSequence - batchStart);
                done.Commit();
                done.Dispose();
                if (feed is not null)
                {
                    foreach (var (id, (incident, hasEvidence)) in written)
                    {
                        feed.Written(incident, hasEvidence ? [.. inv.Store.ListEvidence(id)] : []);
                    }
                    feed.BatchDone();
                }
                written.Clear();
            }
            TerminalProgress.Run(inv, "Importing documents", progress =>
            {
                var done = 0;
                // Commits in batches: one per document would spend most of an archive import waiting for the disk.
                var batch = dry ? null : Open();
                var inBatch = 0;
                foreach (var group in groups)
                {
                    // The last few documents go in a small batch of their own: what the index feed still has to
                    // do once the last batch commits is all the command waits for at the end.
                    if (batch is not null && (inBatch >= BatchSize || (inBatch >= TailBatchSize && documents.Count - done <= TailBatchSize)))
                    {
                        Committed(batch);
                        batch = Open();
                        inBatch = 0;
                    }
                    inBatch += group.Documents.Count;
                    markdown.StartIncident(group.ExistingId);
                    var groupResults = new List<DocumentImportResult>();
                    foreach (var (doc, reason) in group.Documents)
                    {
                        var result = markdown.Import(doc) with { Reason = reason is null ? null : inv.Store.Redactor.Redact(reason) };
                        groupResults.Add(result);
                        results[fileReports[doc]] = MarkdownFileReport.From(result);
                        progress?.Report((++done, documents.Count, doc.FileName));
                    }
                    lastChanged = dry || groupResults.Count == 0 ? lastChanged : groupResults[^1].IncidentId;
                    foreach (var r in groupResults.Where(r => r.Stored is not null))
                    {
                        // A new incident whose documents brought no evidence has none to read back.
                        var evidence = group.ExistingId is not null || r.EvidenceFound > 0
                            || (written.TryGetValue(r.IncidentId, out var earlier) && earlier.HasEvidence);
                        written[r.IncidentId] = (r.Stored!, evidence);
                    }
                    if (!asJson)
                    {
                        PrintGroup(inv, group, groupResults);
                    }
                }
                if (batch is not null)
                {
                    Committed(batch);
                }
                return done;
            });
            if (feed is not null)
            {
                FinishFeed(inv, feed);
            }
            else if (lastChanged is not null)
            {
                // One index update for the whole archive: it catches up on every incident written since it last saw the store.
                inv.Changed(lastChanged);
            }
            if (asJson)
            {
                inv.Out.Json(results);
            }
            return Task.FromResult(failed == 0 ? 0 : 2);
        });
        return command;
    }

    private const int BatchSize = 250;
    private const int TailBatchSize = 40;

    private static IndexFeed? StartFeed(CliInvocation inv)
    {
        try
        {
            return IndexFeed.Start(inv.Store);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IncidentsException)
        {
            // The import still runs; the index is brought up to date the usual way after it.
            return null;
        }
    }

    private static void FinishFeed(CliInvocation inv, IndexFeed feed)
    {
        try
        {
            feed.Finish(inv.Store);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IncidentsException)
        {
            inv.Warn($"search index not updated ({e.Message.ReplaceLineEndings(" ")}); the next search rebuilds it");
        }
    }

    /// <summary>Files as given, and the *.md files under each directory given (in name order), named as the user would type them.</summary>
    private static IEnumerable<string> Expand(CliInvocation inv, IEnumerable<string> given)
    {
        foreach (var item in given)
        {
            var path = inv.FullPath(item);
            // An incident folder of a shared knowledge base is one case, not a pile of Markdown: its
            // rendered documents would otherwise come back as new incidents.
            if (!Directory.Exists(path) || IsIncidentFolder(path))
            {
                yield return item;
                continue;
            }
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
            var incidentFolders = Directory.EnumerateDirectories(path, "*", options).Where(IsIncidentFolder).ToList();
            var found = Directory.EnumerateFiles(path, "*.md", options)
                .Where(f => !incidentFolders.Any(d => f.StartsWith(d + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                // The listing a knowledge base keeps beside its incident folders is generated, not notes.
                .Where(f => incidentFolders.Count == 0 || Path.GetDirectoryName(f) != path.TrimEnd(Path.DirectorySeparatorChar) || !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
                .Concat(incidentFolders)
                .Select(f => Path.Combine(item, Path.GetRelativePath(path, f)))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (found.Count == 0)
            {
                inv.Warn($"{item}: no *.md files or incident folders in this directory");
            }
            foreach (var f in found)
            {
                yield return f;
            }
        }
    }

    private static bool IsIncidentFolder(string path) => File.Exists(Path.Combine(path, Sharing.FolderRecord.FileName));

    private static void PrintGroup(CliInvocation inv, DocumentGroup group, IReadOnlyList<DocumentImportResult> results)
    {
        var id = results[0].IncidentId;
        var what = group.ExistingId is null ? "new incident" : "stored incident";
        inv.Out.Line($"{what} {id}: {results.Count} document{(results.Count == 1 ? "" : "s")}");
        foreach (var r in results)
        {
            PrintMarkdown(inv, r);
        }
    }

    private static byte[] ReadFile(string path, string file) => InputFile.ReadAll(path, file, MarkdownInvestigationReader.MaxBytes);

    /// <summary>
    /// A case file (any size, read as a stream) or an incident folder of a shared knowledge base
    /// (<c>incidents/ID/</c>: its record and evidence files); null for anything else.
    /// </summary>
    private static CaseFile? ReadWhole(string path, string file)
    {
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, Sharing.FolderRecord.FileName)))
        {
            var record = Sharing.FolderRecord.Parse(File.ReadAllText(Path.Combine(path, Sharing.FolderRecord.FileName)), file);
            // A folder does not carry the store's revision or last-write time.
            return new CaseFile { Incident = record.Incident with { Revision = 1, UpdatedAt = record.Incident.CreatedAt }, Evidence = [.. Sharing.EvidenceFiles.Read(path, record.Incident.Id)] };
        }
        // Only a regular file is probed: a FIFO or device would block or never end (ReadFile refuses them).
        // Markdown is not probed: an archive import would open every document twice.
        if (path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || FileKinds.Of(path) != FileKind.Regular || !IsCaseFile(path))
        {
            return null;
        }
        try
        {
            using var stream = File.OpenRead(path);
            return CaseFile.Parse(stream, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{file}: cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Case files are told apart by their first bytes, so a large one is never read whole as text.</summary>
    private static bool IsCaseFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var head = new byte[4096];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return CaseFile.LooksLikeCaseFile(System.Text.Encoding.UTF8.GetString(head, 0, n));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static object ImportCase(CliInvocation inv, string file, string text, bool replace, bool dryRun, bool asJson) =>
        ImportCase(inv, file, CaseFile.Parse(text, file), replace, dryRun, asJson);

    private static object ImportCase(CliInvocation inv, string file, CaseFile caseFile, bool replace, bool dryRun, bool asJson)
    {
        if (dryRun)
        {
            var id = Storage.Slug.Normalise(inv.Store.Redactor.Redact(caseFile.Incident.Id));
            var exists = inv.Store.Find(id) is not null;
            if (!asJson)
            {
                inv.Out.Line($"{file}: would {(exists ? "compare with" : "create")} {id} ({caseFile.Evidence.Count} evidence in the case file)");
            }
            return new CaseFileReport(file, "case", id, exists ? "would-compare" : "would-create", caseFile.Evidence.Count, 0, true);
        }
        var result = caseFile.ImportInto(inv.Store, replace);
        inv.Changed(result.IncidentId);
        if (!asJson)
        {
            inv.Out.Line($"{file}: {Vocabulary.Word(result.Outcome)} {result.IncidentId} " +
                $"({result.EvidenceAdded} evidence added, {result.EvidenceSkipped} already there" +
                (result.EvidenceRemoved > 0 ? $", {result.EvidenceRemoved} of the replaced record removed)" : ")"));
        }
        return new CaseFileReport(file, "case", result.IncidentId, Vocabulary.Word(result.Outcome), result.EvidenceAdded, result.EvidenceSkipped, false, result.EvidenceRemoved);
    }

    private static void PrintMarkdown(CliInvocation inv, DocumentImportResult r)
    {
        var c = r.Counts;
        var verb = (r.DryRun, r.Outcome) switch
        {
            (true, ImportOutcome.Created) => "would create",
            (true, ImportOutcome.Merged) => "would merge into",
            (true, _) => "would leave unchanged",
            (false, ImportOutcome.Created) => "created",
            (false, ImportOutcome.Merged) => "merged into",
            _ => "unchanged",
        };
        inv.Out.Line($"  {r.File}: {verb} {r.IncidentId}: " +
            $"{c.TasksAdded}/{c.TasksFound} tasks, {c.ChecklistItemsAdded}/{c.ChecklistItemsFound} checklist items, " +
            $"{c.HypothesesAdded} new + {c.HypothesesUpdated} updated of {c.HypothesesFound} hypotheses, " +
            $"{r.EvidenceAdded}/{r.EvidenceFound} evidence, {c.FieldsChanged} field values, {c.NotesAdded}/{c.NotesFound} notes (new/found)");
        if (r.Reason is not null)
        {
            inv.Out.Line($"    why: {r.Reason}");
        }
        if (r.DryRun)
        {
            foreach (var group in r.Placements.Where(p => p.Target != "note").GroupBy(p => p.Target))
            {
                inv.Out.Line($"    {group.Key}: {group.Sum(p => p.Count)}");
            }
            foreach (var note in r.NewNotes)
            {
                var first = note.Text.Split('\n')[0];
                inv.Out.Line($"    note [{note.HeadingPath ?? "(top)"}]: {(first.Length > 100 ? first[..100] + "…" : first)}");
            }
        }
    }

    /// <summary>The per-file JSON for a Markdown document: outcome, counts, where each part went, and the notes it adds (all redacted).</summary>
    internal sealed record MarkdownFileReport(
        string File,
        string Kind,
        string IncidentId,
        ImportOutcome Outcome,
        string? Reason,
        bool DryRun,
        MergeCounts Counts,
        int EvidenceFound,
        int EvidenceAdded,
        IReadOnlyList<Placement> Placements,
        IReadOnlyList<Note> Notes,
        IReadOnlyList<string> Warnings)
    {
        public static MarkdownFileReport From(DocumentImportResult r) => new(
            r.File, "markdown", r.IncidentId, r.Outcome, r.Reason, r.DryRun, r.Counts, r.EvidenceFound, r.EvidenceAdded, r.Placements, r.NewNotes, r.Warnings);
    }

    internal sealed record CaseFileReport(string File, string Kind, string IncidentId, string Outcome, int EvidenceAdded, int EvidenceSkipped, bool DryRun, int EvidenceRemoved = 0);

    internal sealed record SkippedFileReport(string File, string Kind, bool Skipped, IReadOnlyList<string> Warnings);

    internal sealed record FailedFileReport(string File, string Error);
}
