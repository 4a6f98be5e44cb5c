using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;
namespace Hokusai.Incidents;

/// <summary>
/// One incident and everything known about it except its evidence, which can run to millions of
/// log lines and therefore lives in its own collection keyed by <see cref="Id"/>.
/// </summary>
/// <remarks>
/// Properties with a default fall back to it when set to null (or 0): the generated JSON reader
/// sets every init-only property, a missing one to null, instead of keeping its initializer
/// (dotnet/runtime#84484), and a case file or a hand-edited record may leave lists out.
/// </remarks>
public sealed record Incident
{
    /// <summary>Readable unique id, a slug such as <c>2025-08-18-model-registration-failure</c>.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }
    public Severity Severity { get; init => field = value == 0 ? Severity.Sev3 : value; } = Severity.Sev3;
    public IncidentStatus Status { get; init; } = IncidentStatus.Investigating;
    public string? Summary { get; init; }
    public string? BusinessImpact { get; init; }
    public string? AffectedUsers { get; init; }
    public string? Environment { get; init; }
    public AffectedComponents Components { get; init => field = value ?? new(); } = new();
    public Reproduction Reproduction { get; init => field = value ?? new(); } = new();
    public IReadOnlyList<string> ErrorMessages { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> RecentChanges { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> SimilarPastIssues { get; init => field = value ?? []; } = [];
    public InvestigationPlan Investigation { get; init => field = value ?? new(); } = new();
    public IReadOnlyList<LabeledList> RiskAssessment { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> Tags { get; init => field = value ?? []; } = [];
    public IncidentTimes Times { get; init => field = value ?? new(); } = new();
    /// <summary>How the failure shows itself over time: constant, intermittent, after deploys…</summary>
    public string? FailurePattern { get; init; }
    public string? Correlation { get; init; }
    public IReadOnlyList<string> PreviousFixAttempts { get; init => field = value ?? []; } = [];

    public string? RootCause { get; init; }
    public string? Trigger { get; init; }
    public string? TechnicalExplanation { get; init; }
    public string? Solution { get; init; }
    public IReadOnlyList<CodeReference> RelatedCode { get; init => field = value ?? []; } = [];
    public IReadOnlyList<ComponentState> CurrentState { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> DirectImpact { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> CascadeEffects { get; init => field = value ?? []; } = [];

    // Postmortem material: why it was not caught, and what the team learned.
    public IReadOnlyList<string> ContributingFactors { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> WentWell { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> WentWrong { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> GotLucky { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> Lessons { get; init => field = value ?? []; } = [];

    public IReadOnlyList<TimelineEntry> Timeline { get; init => field = value ?? []; } = [];
    public IReadOnlyList<Hypothesis> Hypotheses { get; init => field = value ?? []; } = [];
    public IReadOnlyList<FixTask> Tasks { get; init => field = value ?? []; } = [];
    /// <summary>Notes on the order tasks must be done in ("Tasks 1-3 in sequence").</summary>
    public IReadOnlyList<string> TaskSequence { get; init => field = value ?? []; } = [];
    public IReadOnlyList<ChecklistItem> RollbackPlan { get; init => field = value ?? []; } = [];
    public IReadOnlyList<ChecklistItem> SuccessCriteria { get; init => field = value ?? []; } = [];
    public IReadOnlyList<Note> Notes { get; init => field = value ?? []; } = [];
    /// <summary>
    /// The prose fields (names from <see cref="MarkdownOrigin.Prose"/>) whose text came from an imported
    /// Markdown document and renders as the author wrote it; text typed on the command line stays escaped.
    /// </summary>
    public IReadOnlyList<string>? MarkdownFields { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Bumped by the store on every write.</summary>
    public int Revision { get; init; }
}

public sealed record AffectedComponents
{
    public IReadOnlyList<string> Services { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> Infrastructure { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> Databases { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> Endpoints { get; init => field = value ?? []; } = [];

    // Derived from the four lists above; written out it would duplicate them in every case file.
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<string> All => Services.Concat(Infrastructure).Concat(Databases).Concat(Endpoints);
}

public sealed record Reproduction
{
    public IReadOnlyList<string> EnvironmentRequired { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> Steps { get; init => field = value ?? []; } = [];
    public string? SuccessRate { get; init; }
    public string? Variations { get; init; }
}

/// <summary>What to look at and in what order, as planned at the start of an investigation.</summary>
public sealed record InvestigationPlan
{
    /// <summary>Groups such as "Logs to Examine" or "Infrastructure Checks".</summary>
    public IReadOnlyList<LabeledList> DataToAnalyse { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> PriorityOrder { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> KeyQuestions { get; init => field = value ?? []; } = [];
    /// <summary>What the investigation (not the fix) must establish.</summary>
    public IReadOnlyList<string> Goals { get; init => field = value ?? []; } = [];
}

public sealed record LabeledList
{
    public required string Label { get; init; }
    public IReadOnlyList<string> Items { get; init => field = value ?? []; } = [];
}

public sealed record IncidentTimes
{
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Detected { get; init; }
    public DateTimeOffset? Mitigated { get; init; }
    public DateTimeOffset? Resolved { get; init; }
    public DateTimeOffset? FirstReported { get; init; }
    public DateTimeOffset? LastConfirmed { get; init; }
}

public sealed record CodeReference
{
    public required string File { get; init; }
    public int? Line { get; init; }
    public string? Issue { get; init; }
    public CodeSnippet? Snippet { get; init; }
}

public sealed record CodeSnippet
{
    public string? Language { get; init; }
    public required string Code { get; init; }
}

/// <summary>How one component or endpoint stands right now.</summary>
public sealed record ComponentState
{
    public required string Component { get; init; }
    public ComponentHealth Health { get; init; } = ComponentHealth.Unknown;
    public string? Detail { get; init; }
}

[JsonConverter(typeof(KebabCaseEnumConverter<ComponentHealth>))]
public enum ComponentHealth
{
    Unknown,
    Healthy,
    Degraded,
    Down,
}

public sealed record ChecklistItem
{
    public required string Text { get; init; }
    public bool Done { get; init; }
}

/// <summary>Text kept verbatim, with the heading path it was found under.</summary>
public sealed record Note
{
    public required string Text { get; init; }
    public string? HeadingPath { get; init; }
    public string? Source { get; init; }
    public DateTimeOffset? At { get; init; }
    /// <summary>True when the text is an author's Markdown from an imported document: rendered as Markdown (sanitized), not escaped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Markdown { get; init; }
}
