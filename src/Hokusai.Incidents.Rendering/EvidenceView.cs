namespace Hokusai.Incidents.Rendering;

/// <summary>
/// One piece of evidence as templates see it (<c>e.key</c>, <c>e.kind</c>, <c>e.content</c>…). A plain
/// object rather than a Scriban dictionary: an incident can hold tens of thousands of log lines and only
/// the few a document prints should cost anything.
/// </summary>
public sealed class EvidenceView(Evidence evidence)
{
    private IDictionary<string, string>? _attributes;

    public string IncidentId => evidence.IncidentId;
    public long Number => evidence.Number;
    public string Key => evidence.Key;
    /// <summary>The JSON word: log-excerpt, ecs-event, endpoint-check, command-output, note.</summary>
    public string Kind => ScriptValues.Word(evidence.Kind);
    public string? Source => evidence.Source;
    public DateTimeOffset? Time => evidence.Time;
    public string? Title => evidence.Title;
    public string Content => evidence.Content;
    public string? Language => evidence.Language;
    public IReadOnlyList<string> Supports => evidence.Supports;
    public IReadOnlyList<string> Refutes => evidence.Refutes;
    /// <summary>Kind-specific facts (url, statusCode, logGroup…) in key order.</summary>
    /// <remarks>Read-only, like the rest of the model: documents rendered side by side may read it at once.</remarks>
    public IDictionary<string, string> Attributes => _attributes ??=
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(new SortedDictionary<string, string>(evidence.Attributes.ToDictionary(), StringComparer.Ordinal));
    public string? DedupKey => evidence.DedupKey;
    public DateTimeOffset CollectedAt => evidence.CollectedAt;
    /// <summary>The in-document anchor of the evidence's heading: e12.</summary>
    public string Anchor => MarkdownText.Anchor(evidence.Key);
    /// <summary>The title, else the kind in words ("Log excerpt").</summary>
    public string Label => string.IsNullOrWhiteSpace(evidence.Title)
        ? TemplateFunctions.Humanize(Kind)
        : evidence.Title;
}
