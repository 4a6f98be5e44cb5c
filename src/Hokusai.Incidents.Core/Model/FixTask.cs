namespace Hokusai.Incidents;

/// <summary>
/// One checklist item of the fix. Sub-items are tasks too, pointing at their <see cref="Parent"/>,
/// so any depth of nesting is a flat list that is easy to address as T17.
/// </summary>
public sealed record FixTask
{
    public required int Number { get; init; }
    public required string Title { get; init; }
    /// <summary>Null when nobody set one: an imported action item without a stated priority stays without.</summary>
    public Priority? Priority { get; init; }
    /// <summary>The priority group's heading, e.g. "Immediate Fix".</summary>
    public string? Group { get; init; }
    /// <summary>The section within the group, e.g. "1. Fix Syntax Error and Deploy".</summary>
    public string? Section { get; init; }
    public int? Parent { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset? DoneAt { get; init; }
    public string? Owner { get; init; }
    public DateOnly? Due { get; init; }
    public IReadOnlyList<int> DependsOn { get; init => field = value ?? []; } = [];
    /// <summary>Where a copied task came from: "2024-05-07-payments-webhook T3".</summary>
    public string? CopiedFrom { get; init; }
    /// <summary>True when the text is an author's Markdown from an imported document: rendered as Markdown (sanitized), not escaped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Markdown { get; init; }

    public string Key => $"T{Number}";
}
