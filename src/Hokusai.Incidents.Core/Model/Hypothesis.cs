namespace Hokusai.Incidents;

public sealed record Hypothesis
{
    public required int Number { get; init; }
    public required string Title { get; init; }
    /// <summary>0–100.</summary>
    public int? Confidence { get; init; }
    public string? Complexity { get; init; }
    public string? Impact { get; init; }
    public string? Category { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> SupportingEvidence { get; init; } = [];
    public IReadOnlyList<string> EvidenceAgainst { get; init; } = [];
    public string? WhyItCausesTheBug { get; init; }
    public TestMethod TestMethod { get; init; } = new();
    public IReadOnlyList<CodeSnippet> Commands { get; init; } = [];
    public string? QuickFixTest { get; init; }
    public HypothesisStatus Status { get; init; } = HypothesisStatus.Open;
    public string? Outcome { get; init; }
    public IReadOnlyList<StatusChange> History { get; init; } = [];
    /// <summary>True when the text is an author's Markdown from an imported document: rendered as Markdown (sanitized), not escaped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Markdown { get; init; }

    public string Key => $"H{Number}";

    public ConfidenceLevel? ConfidenceLevel => Confidence is { } c ? Confidences.LevelOf(c) : null;
}

public sealed record TestMethod
{
    public IReadOnlyList<string> Steps { get; init; } = [];
    public string? ExpectedIfTrue { get; init; }
    public string? ExpectedIfFalse { get; init; }
}

public sealed record StatusChange
{
    public required DateTimeOffset At { get; init; }
    public HypothesisStatus From { get; init; }
    public HypothesisStatus To { get; init; }
    public string? Note { get; init; }
}

public enum ConfidenceLevel
{
    Low,
    Medium,
    High,
}

public static class Confidences
{
    /// <summary>High from 70 %, Medium from 40 %: the seeds call 80–85 % High, 40–60 % Medium and 20 % Low.</summary>
    public static ConfidenceLevel LevelOf(int percent) => percent switch
    {
        >= 70 => ConfidenceLevel.High,
        >= 40 => ConfidenceLevel.Medium,
        _ => ConfidenceLevel.Low,
    };

    /// <summary>A percent for a bare label, used when a document gives no figure.</summary>
    public static int PercentOf(ConfidenceLevel level) => level switch
    {
        ConfidenceLevel.High => 80,
        ConfidenceLevel.Medium => 50,
        _ => 20,
    };
}
