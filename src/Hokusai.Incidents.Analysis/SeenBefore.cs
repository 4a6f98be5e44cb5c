namespace Hokusai.Incidents.Analysis;

/// <summary>One line of a past incident's fix checklist, with its depth in the tree.</summary>
public sealed record ChecklistLine(string Task, int Depth, string? Priority, string Title);

/// <summary>What a past incident teaches a new one: how it ended, what it ruled out and how it was fixed.</summary>
public sealed record SeenBeforeSummary(string Id, string Title, string? RootCause, IReadOnlyList<string> Refuted, IReadOnlyList<ChecklistLine> Checklist)
{
    /// <summary>The commands that bring its work over.</summary>
    public string CopyHint(string intoId) =>
        $"incidents task copy {intoId} --from {Id}" + (Refuted.Count > 0 ? $"; incidents hypothesis copy {intoId} --from {Id} H#" : "");
}

/// <summary>Reads a similar past incident for what it already learned.</summary>
public static class SeenBefore
{
    public static SeenBeforeSummary Of(Incident past) => new(
        past.Id,
        past.Title,
        RootCause(past),
        [.. past.Hypotheses.Where(h => h.Status == HypothesisStatus.Refuted)
            .Select(h => $"{h.Key} {h.Title}{(string.IsNullOrWhiteSpace(h.Outcome) ? "" : $": {h.Outcome}")}")],
        [.. TaskTree.Of(past).Select(x => new ChecklistLine(x.Task.Key, x.Depth, PriorityLabel(x.Task), x.Task.Title))]);

    /// <summary>The written root cause, else what the confirmed hypotheses found.</summary>
    public static string? RootCause(Incident past)
    {
        if (!string.IsNullOrWhiteSpace(past.RootCause))
        {
            return past.RootCause;
        }
        var confirmed = past.Hypotheses.Where(h => h.Status == HypothesisStatus.Confirmed)
            .Select(h => string.IsNullOrWhiteSpace(h.Outcome) ? h.Title : $"{h.Title}: {h.Outcome}").ToList();
        return confirmed.Count == 0 ? null : string.Join("; ", confirmed);
    }

    // Written without naming the type, so it holds whether a task's priority is required or optional.
    private static string? PriorityLabel(FixTask task) => task.Priority is { } p ? Vocabulary.Label(p) : null;
}
