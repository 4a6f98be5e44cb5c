namespace Hokusai.Incidents.Search;

/// <summary>
/// The shape of the index. Bump <see cref="Version"/> whenever fields or analysis change: an index
/// of another version is rebuilt from the store on next use.
/// </summary>
public static class IndexSchema
{
    public const int Version = 5;

    // Commit user data keys.
    internal const string SchemaKey = "hokusai.schema";
    internal const string SequenceKey = "hokusai.changeSequence";

    /// <summary>Incident id, on every document.</summary>
    public const string Incident = "incident";
    internal const string IncidentTitle = "incidentTitle";
    /// <summary>incident, hypothesis, task, evidence, timeline or note.</summary>
    public const string Kind = "kind";
    /// <summary>The item within the incident, lower-case (h3, t12, e40).</summary>
    public const string Item = "item";
    internal const string ItemLabel = "itemLabel";
    public const string Title = "title";
    /// <summary>Everything searchable about the item, title included; the default field.</summary>
    public const string Text = "text";
    /// <summary>Where evidence came from (log group, URL, command).</summary>
    public const string Source = "source";
    public const string Service = "service";
    public const string Severity = "severity";
    public const string Status = "status";
    /// <summary>The item's own state: a hypothesis' status (refuted…) or a task's (done, open).</summary>
    public const string State = "state";
    internal const string Started = "started";
    internal const string Body = "body";
    /// <summary>On an evidence block: each item's number, stored in the order of its text in <see cref="Body"/>.</summary>
    internal const string Number = "number";
    /// <summary>On an evidence block: how many items it holds (a doc value, read per hit without loading stored fields).</summary>
    internal const string ItemCount = "itemCount";

    // Incident documents only.
    internal const string Profile = "profile";
    internal const string Revision = "revision";
    internal const string EvidenceCount = "evidenceCount";
    internal const string EvidenceMax = "evidenceMax";
    internal const string EvidenceDigest = "evidenceDigest";

    public const string IncidentKind = "incident";
    public const string HypothesisKind = "hypothesis";
    public const string TaskKind = "task";
    public const string EvidenceKind = "evidence";
    public const string TimelineKind = "timeline";
    public const string NoteKind = "note";

    public static readonly IReadOnlyList<string> Kinds = [IncidentKind, HypothesisKind, TaskKind, EvidenceKind, TimelineKind, NoteKind];

    /// <summary>Fields a query may name as <c>field:value</c>.</summary>
    internal static readonly IReadOnlyList<string> QueryFields = [Title, Text, Source, Kind, Item, Incident, "id", Service, Severity, Status, State];

    /// <summary>Fields holding one exact value rather than analyzed text.</summary>
    internal static bool IsKeyword(string field) => field is Incident or Kind or Item or Service or Severity or Status or State;

    /// <summary>Checks a --kind value and returns it in index form.</summary>
    public static string ParseKind(string text)
    {
        var k = text.Trim().ToLowerInvariant();
        k = k switch
        {
            "hypotheses" or "h" => HypothesisKind,
            "tasks" or "t" or "fix-task" => TaskKind,
            "e" => EvidenceKind,
            "notes" => NoteKind,
            "incidents" => IncidentKind,
            _ => k,
        };
        return Kinds.Contains(k) ? k : throw new InvalidInputException(
            $"invalid kind '{text}': use one of {string.Join(", ", Kinds)}");
    }

    /// <summary>Where the index of a database lives: a directory beside the database file.</summary>
    public static string DirectoryFor(string databasePath) => databasePath + ".index";
}
