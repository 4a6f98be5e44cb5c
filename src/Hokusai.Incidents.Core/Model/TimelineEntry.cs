namespace Hokusai.Incidents;

public sealed record TimelineEntry
{
    public required DateTimeOffset At { get; init; }
    public required string Text { get; init; }
    public TimelineKind Kind { get; init => field = value == 0 ? TimelineKind.Action : value; } = TimelineKind.Action;
    /// <summary>Evidence numbers (E12) that back this entry.</summary>
    public IReadOnlyList<string> Evidence { get; init => field = value ?? []; } = [];
    /// <summary>Why this entry looks wrong (in the future, before the incident started…); null when it looks fine.</summary>
    public string? Flag { get; init; }
    /// <summary>True when the text is an author's Markdown from an imported document: rendered as Markdown (sanitized), not escaped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Markdown { get; init; }
}
