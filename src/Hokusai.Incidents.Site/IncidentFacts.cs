namespace Hokusai.Incidents.Site;

/// <summary>
/// An incident's milestones with the same fallbacks the documents use (a detection entry in the
/// timeline counts as detection when no detection time is recorded, and so on).
/// </summary>
public sealed record IncidentFacts(DateTimeOffset? Started, DateTimeOffset? Detected, DateTimeOffset? Mitigated, DateTimeOffset? Resolved)
{
    public static IncidentFacts Of(Incident incident)
    {
        var entries = incident.Timeline;
        DateTimeOffset? First(TimelineKind kind) => entries.Where(e => e.Kind == kind).Select(e => (DateTimeOffset?)e.At).Min();
        var t = incident.Times;
        return new IncidentFacts(
            t.Started ?? t.FirstReported ?? entries.Select(e => (DateTimeOffset?)e.At).Min(),
            t.Detected ?? First(TimelineKind.Detection) ?? t.FirstReported,
            t.Mitigated ?? First(TimelineKind.Mitigation),
            t.Resolved ?? First(TimelineKind.Resolution));
    }

    public TimeSpan? TimeToDetect => Between(Started, Detected);
    public TimeSpan? TimeToMitigate => Between(Started, Mitigated);
    public TimeSpan? TimeToResolve => Between(Started, Resolved);

    private static TimeSpan? Between(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } a && to is { } b && b >= a ? b - a : null;

    /// <summary>The first sentence of the root cause (or the confirmed hypothesis), at most about 160 characters.</summary>
    public static string RootCauseSummary(Incident incident)
    {
        var text = incident.RootCause
            ?? incident.Hypotheses.FirstOrDefault(h => h.Status == HypothesisStatus.Confirmed)?.Title
            ?? "";
        text = text.ReplaceLineEndings(" ").Trim();
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        if (end > 0 && end < 200)
        {
            text = text[..(end + 1)];
        }
        return text.Length <= 160 ? text : text[..157].TrimEnd() + "…";
    }
}

/// <summary>Counts and mean times to detect, mitigate and resolve over the incidents started in a window.</summary>
public sealed record WindowStats(DateTimeOffset From, DateTimeOffset To, int Count, IReadOnlyDictionary<Severity, int> BySeverity,
    int Open, TimeSpan? MeanTimeToDetect, TimeSpan? MeanTimeToMitigate, TimeSpan? MeanTimeToResolve)
{
    public const int Days = 90;

    /// <summary>
    /// The window ends at the newest incident's start rather than at the build's clock, so the same
    /// store always gives the same page.
    /// </summary>
    public static WindowStats Of(IReadOnlyList<(Incident Incident, IncidentFacts Facts)> incidents)
    {
        var to = incidents.Select(i => i.Facts.Started ?? i.Incident.CreatedAt).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
        // A record without any time (a hand-made case file) reads as the earliest date there is.
        var from = to > DateTimeOffset.MinValue.AddDays(Days) ? to.AddDays(-Days) : DateTimeOffset.MinValue;
        var inWindow = incidents.Where(i => (i.Facts.Started ?? i.Incident.CreatedAt) is var s && s > from && s <= to).ToList();
        static TimeSpan? Mean(IEnumerable<TimeSpan?> spans)
        {
            var known = spans.Where(s => s is not null).Select(s => s!.Value.Ticks).ToList();
            return known.Count == 0 ? null : TimeSpan.FromTicks((long)known.Average());
        }
        return new WindowStats(from, to, inWindow.Count,
            Enum.GetValues<Severity>().ToDictionary(s => s, s => inWindow.Count(i => i.Incident.Severity == s)),
            inWindow.Count(i => i.Incident.Status is not (IncidentStatus.Resolved or IncidentStatus.Closed)),
            Mean(inWindow.Select(i => i.Facts.TimeToDetect)),
            Mean(inWindow.Select(i => i.Facts.TimeToMitigate)),
            Mean(inWindow.Select(i => i.Facts.TimeToResolve)));
    }
}
