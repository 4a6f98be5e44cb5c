using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;
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
    public IReadOnlyList<string> SupportingEvidence { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> EvidenceAgainst { get; init => field = value ?? []; } = [];
    public string? WhyItCausesTheBug { get; init; }
    public TestMethod TestMethod { get; init => field = value ?? new(); } = new();
    public IReadOnlyList<CodeSnippet> Commands { get; init => field = value ?? []; } = [];
    public string? QuickFixTest { get; init; }
    public HypothesisStatus Status { get; init; } = HypothesisStatus.Open;
    public string? Outcome { get; init; }
    public IReadOnlyList<StatusChange> History { get; init => field = value ?? []; } = [];
    /// <summary>Where a copied hypothesis came from, with how it ended there: "queue-stall H2 (refuted)".</summary>
    public string? CopiedFrom { get; init; }
    /// <summary>True when the text is an author's Markdown from an imported document: rendered as Markdown (sanitized), not escaped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Markdown { get; init; }

    public string Key => $"H{Number}";

    public ConfidenceLevel? ConfidenceLevel => Confidence is { } c ? Confidences.LevelOf(c) : null;
}

public sealed record TestMethod
{
    public IReadOnlyList<string> Steps { get; init => field = value ?? []; } = [];
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

[JsonConverter(typeof(KebabCaseEnumConverter<ConfidenceLevel>))]
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

    /// <summary>"High (85%)", the form the seeds use; <paramref name="none"/> when no figure was given.</summary>
    public static string Label(int? percent, string none = "Unrated") =>
        percent is { } p ? $"{LevelOf(p)} ({p.ToString(System.Globalization.CultureInfo.InvariantCulture)}%)" : none;

    /// <summary>Parses what people type for a confidence: 85, 85%, or high / medium / low.</summary>
    public static int Parse(string text)
    {
        var t = text.Trim().TrimEnd('%').Trim();
        if (int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return n <= 100 ? n : throw new InvalidInputException($"invalid confidence '{text}': use a percent from 0 to 100");
        }
        return t.ToLowerInvariant() switch
        {
            "high" => PercentOf(ConfidenceLevel.High),
            "medium" => PercentOf(ConfidenceLevel.Medium),
            "low" => PercentOf(ConfidenceLevel.Low),
            _ => throw new InvalidInputException($"invalid confidence '{text}': use a percent from 0 to 100, or high, medium, low"),
        };
    }

    /// <summary>Most likely first: by confidence (unrated last), then by number.</summary>
    public static IEnumerable<Hypothesis> Ranked(IEnumerable<Hypothesis> hypotheses) =>
        hypotheses.OrderByDescending(h => h.Confidence ?? -1).ThenBy(h => h.Number);

    /// <summary>A percent for a bare label, used when a document gives no figure.</summary>
    public static int PercentOf(ConfidenceLevel level) => level switch
    {
        ConfidenceLevel.High => 80,
        ConfidenceLevel.Medium => 50,
        _ => 20,
    };
}
