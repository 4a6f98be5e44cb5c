namespace Hokusai.Incidents;

/// <summary>
/// Which of an incident's prose fields hold an author's Markdown (see <see cref="Incident.MarkdownFields"/>).
/// Names are the record's property names, so a renderer can find the same member under its own naming.
/// </summary>
public static class MarkdownOrigin
{
    /// <summary>The incident's free-text fields an imported document can fill, with how to read each.</summary>
    public static IReadOnlyDictionary<string, Func<Incident, object?>> Prose { get; } = new Dictionary<string, Func<Incident, object?>>(StringComparer.Ordinal)
    {
        [nameof(Incident.Title)] = i => i.Title,
        [nameof(Incident.Summary)] = i => i.Summary,
        [nameof(Incident.BusinessImpact)] = i => i.BusinessImpact,
        [nameof(Incident.AffectedUsers)] = i => i.AffectedUsers,
        [nameof(Incident.RecentChanges)] = i => i.RecentChanges,
        [nameof(Incident.SimilarPastIssues)] = i => i.SimilarPastIssues,
        [nameof(Incident.FailurePattern)] = i => i.FailurePattern,
        [nameof(Incident.Correlation)] = i => i.Correlation,
        [nameof(Incident.PreviousFixAttempts)] = i => i.PreviousFixAttempts,
        [nameof(Incident.RootCause)] = i => i.RootCause,
        [nameof(Incident.Trigger)] = i => i.Trigger,
        [nameof(Incident.TechnicalExplanation)] = i => i.TechnicalExplanation,
        [nameof(Incident.Solution)] = i => i.Solution,
        [nameof(Incident.DirectImpact)] = i => i.DirectImpact,
        [nameof(Incident.CascadeEffects)] = i => i.CascadeEffects,
        [nameof(Incident.ContributingFactors)] = i => i.ContributingFactors,
        [nameof(Incident.WentWell)] = i => i.WentWell,
        [nameof(Incident.WentWrong)] = i => i.WentWrong,
        [nameof(Incident.GotLucky)] = i => i.GotLucky,
        [nameof(Incident.Lessons)] = i => i.Lessons,
        [nameof(Incident.TaskSequence)] = i => i.TaskSequence,
    };

    /// <summary>The prose fields of a record read from a document that have any text: all of it is the author's Markdown.</summary>
    public static IReadOnlyList<string> Filled(Incident fromDocument) =>
        [.. Prose.Where(p => HasText(p.Value(fromDocument))).Select(p => p.Key)];

    /// <summary>
    /// After <paramref name="merged"/> was built from <paramref name="before"/> and a document's record: a field
    /// keeps its origin when unchanged and takes the document's when the document's text went into it.
    /// </summary>
    public static IReadOnlyList<string>? After(Incident before, Incident merged, Incident document)
    {
        var fromDocument = document.MarkdownFields ?? [];
        var result = new List<string>(before.MarkdownFields ?? []);
        foreach (var name in fromDocument)
        {
            if (!result.Contains(name, StringComparer.Ordinal) && Prose.TryGetValue(name, out var read) && !Same(read(before), read(merged)))
            {
                result.Add(name);
            }
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>The incident after someone typed new text into the named fields: that text is no longer the author's Markdown.</summary>
    public static Incident Typed(Incident incident, params string[] names)
    {
        if (incident.MarkdownFields is not { Count: > 0 } current)
        {
            return incident;
        }
        var left = current.Where(n => !names.Contains(n, StringComparer.Ordinal)).ToList();
        return left.Count == current.Count ? incident : incident with { MarkdownFields = left.Count == 0 ? null : left };
    }

    public static bool Contains(Incident incident, string name) =>
        incident.MarkdownFields?.Contains(name, StringComparer.Ordinal) == true;

    private static bool HasText(object? value) => value switch
    {
        string s => !string.IsNullOrWhiteSpace(s),
        IReadOnlyList<string> list => list.Count > 0,
        _ => false,
    };

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (IReadOnlyList<string> x, IReadOnlyList<string> y) => x.SequenceEqual(y, StringComparer.Ordinal),
        _ => Equals(a, b),
    };
}
