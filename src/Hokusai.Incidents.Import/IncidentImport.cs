using System.Text.Json.Serialization;
using Hokusai.Incidents.Redaction;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Import;

public sealed record ImportOptions
{
    /// <summary>Merge into this incident rather than creating one (or finding one by title).</summary>
    public string? IntoId { get; init; }
    /// <summary>Work everything out, write nothing.</summary>
    public bool DryRun { get; init; }
}

[JsonConverter(typeof(KebabCaseEnumConverter<ImportOutcome>))]
public enum ImportOutcome
{
    Created,
    Merged,
    Unchanged,
}

/// <summary>What one document did (or, in a dry run, would do) to the knowledge base.</summary>
public sealed record DocumentImportResult
{
    public required string File { get; init; }
    public required string IncidentId { get; init; }
    public required ImportOutcome Outcome { get; init; }
    /// <summary>Why the document went to this incident (shared title words, identifiers…); null when it started it.</summary>
    public string? Reason { get; init; }
    public bool DryRun { get; init; }
    public required MergeCounts Counts { get; init; }
    public int EvidenceFound { get; init; }
    public int EvidenceAdded { get; init; }
    public IReadOnlyList<Placement> Placements { get; init; } = [];
    /// <summary>The notes this document adds (redacted), so a dry run shows what would be kept verbatim.</summary>
    public IReadOnlyList<Note> NewNotes { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The incident as the store holds it after this document (null in a dry run or when nothing was written).</summary>
    public Incident? Stored { get; init; }
}

/// <summary>
/// Merges imported documents into the store, one after another: the first creates the incident (or
/// merges into <see cref="ImportOptions.IntoId"/>, or into an incident with the same title), the rest
/// add to it. Everything goes through the store's redactor before it is compared, shown or written.
/// </summary>
public sealed class IncidentImport(IIncidentStore store, ImportOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private string? _targetId;
    // A dry run keeps the incident it would have written, so later documents merge into it.
    private Incident? _pending;
    private readonly HashSet<string> _pendingEvidence = new(StringComparer.Ordinal);
    // Ids a dry run has handed out, so two would-be incidents never show the same id.
    private readonly HashSet<string> _dryRunIds = new(StringComparer.Ordinal);
    private string? _groupInto;

    public string? IncidentId => _targetId;

    /// <summary>
    /// Starts the next incident of the command: the documents that follow merge into
    /// <paramref name="existingId"/>, or into a new incident the first of them creates.
    /// </summary>
    public void StartIncident(string? existingId)
    {
        _targetId = null;
        _pending = null;
        _groupInto = existingId;
    }

    public DocumentImportResult Import(ImportedDocument document)
    {
        var doc = FlagFuture(Redact(document, store.Redactor), _clock.GetUtcNow());
        var existing = Target(doc);
        Incident merged;
        MergeCounts counts;
        ImportOutcome outcome;
        if (existing is null)
        {
            var draft = new Incident
            {
                Id = options.IntoId ?? "",
                Title = doc.Incident.Title,
                Severity = doc.Severity ?? Severity.Sev3,
                Status = doc.Status ?? IncidentStatus.Investigating,
                MarkdownFields = MarkdownOrigin.Contains(doc.Incident, nameof(Incident.Title)) ? [nameof(Incident.Title)] : null,
            };
            (merged, counts) = IncidentMerge.Merge(draft, doc, _clock.GetUtcNow());
            outcome = ImportOutcome.Created;
            if (options.DryRun)
            {
                merged = merged with { Id = string.IsNullOrEmpty(merged.Id) ? FreeId(Slug.For(merged, _clock.GetUtcNow())) : merged.Id };
                _pending = merged;
            }
            else
            {
                merged = store.Create(merged);
            }
        }
        else
        {
            (merged, counts) = IncidentMerge.Merge(existing, doc, _clock.GetUtcNow());
            outcome = counts.NothingAdded ? ImportOutcome.Unchanged : ImportOutcome.Merged;
            if (options.DryRun)
            {
                _pending = merged;
            }
            else if (outcome == ImportOutcome.Merged)
            {
                // Merge again inside the atomic update, against whatever another writer left there.
                merged = store.Update(existing.Id, current => IncidentMerge.Merge(current, doc, _clock.GetUtcNow()).Incident);
            }
        }
        _targetId = merged.Id;
        var evidence = doc.Evidence.Select(e => e with { IncidentId = merged.Id }).ToList();
        int added;
        if (options.DryRun)
        {
            var known = outcome == ImportOutcome.Created || store.Find(merged.Id) is null
                ? []
                : store.ListEvidence(merged.Id).Select(e => e.DedupKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
            added = evidence.Count(e => !known.Contains(e.DedupKey!) && _pendingEvidence.Add(e.DedupKey!));
        }
        else
        {
            added = store.AddEvidence(evidence).Added;
        }
        if (outcome == ImportOutcome.Unchanged && added > 0)
        {
            outcome = ImportOutcome.Merged;
        }
        var before = existing?.Notes ?? [];
        return new DocumentImportResult
        {
            File = doc.FileName,
            IncidentId = merged.Id,
            Outcome = outcome,
            DryRun = options.DryRun,
            Counts = counts,
            EvidenceFound = evidence.Count,
            EvidenceAdded = added,
            Placements = doc.Placements,
            NewNotes = [.. merged.Notes.Where(n => !before.Any(b => b.HeadingPath == n.HeadingPath && b.Text == n.Text))],
            Warnings = doc.Warnings,
            Stored = options.DryRun || outcome == ImportOutcome.Unchanged ? null : merged,
        };
    }

    private Incident? Target(ImportedDocument doc)
    {
        if (_targetId is not null)
        {
            return options.DryRun ? _pending : store.Get(_targetId);
        }
        if ((_groupInto ?? options.IntoId) is { } into)
        {
            return store.Get(into);
        }
        // Which incident a document belongs to was decided before (DocumentGrouping); no match means a new one.
        return null;
    }

    private string FreeId(string id)
    {
        var unique = id;
        for (var n = 2; !_dryRunIds.Add(unique) || store.Find(unique) is not null; n++)
        {
            unique = $"{id}-{n}";
        }
        return unique;
    }

    /// <summary>A timeline entry after the import (a typo, a wrong zone) is kept, flagged, as one typed by hand would be.</summary>
    private static ImportedDocument FlagFuture(ImportedDocument doc, DateTimeOffset now)
    {
        var flags = doc.Incident.Timeline.Select(e => e.Flag ?? TimelineChecks.FlagFor(doc.Incident, e, now)).ToList();
        if (flags.All(f => f is null))
        {
            return doc;
        }
        return doc with
        {
            Incident = doc.Incident with { Timeline = [.. doc.Incident.Timeline.Select((e, n) => e with { Flag = flags[n] })] },
        };
    }

    /// <summary>The document as the store would keep it, so comparisons, dry-run output and dedup keys never see a secret.</summary>
    public static ImportedDocument Redact(ImportedDocument doc, Redactor redactor) => doc with
    {
        Incident = redactor.RedactRecord(doc.Incident),
        Evidence = [.. doc.Evidence.Select(e =>
        {
            var r = redactor.RedactEvidence(e);
            return r with { DedupKey = EvidenceKeys.For(doc.FileName, r.Title, r.Content) };
        })],
        Placements = [.. doc.Placements.Select(p => p with { Heading = redactor.Redact(p.Heading) })],
        Warnings = [.. doc.Warnings.Select(redactor.Redact)],
    };
}
