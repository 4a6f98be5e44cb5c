namespace Hokusai.Incidents.Import;

/// <summary>
/// What one Markdown document says about an incident, before it is merged into one. The
/// <see cref="Incident"/> is a draft: tasks are numbered 1..n within the document (parents point at
/// those numbers) and only the fields the document mentions are filled.
/// </summary>
public sealed record ImportedDocument
{
    public required string FileName { get; init; }
    /// <summary>The first level-1 heading without a "Fix Tasks:" style prefix, if the document has one.</summary>
    public string? Title { get; init; }
    public required Incident Incident { get; init; }
    /// <summary>Only set when the document states it, so a merge can tell "not said" from the default.</summary>
    public Severity? Severity { get; init; }
    public IncidentStatus? Status { get; init; }
    /// <summary>Evidence with an empty incident id and a dedup key derived from file, heading and content.</summary>
    public IReadOnlyList<Incidents.Evidence> Evidence { get; init; } = [];
    /// <summary>Where each recognised (or unrecognised) part of the document went, in document order.</summary>
    public IReadOnlyList<Placement> Placements { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when nothing at all was found, not even a note.</summary>
    public bool IsEmpty => Placements.Count == 0;
}

/// <summary>One part of a document and what it became: <c>task</c>, <c>hypothesis</c>, <c>field:severity</c>, <c>evidence</c>, <c>note</c>…</summary>
public sealed record Placement(string Heading, string Target, int Count);
