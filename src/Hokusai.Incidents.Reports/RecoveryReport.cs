using System.Globalization;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Reports;

[JsonConverter(typeof(KebabCaseEnumConverter<ReportGrouping>))]
public enum ReportGrouping
{
    None,
    Service,
    Severity,
    Month,
}

public sealed record ReportOptions
{
    /// <summary>Only incidents that started (or were filed) at or after this.</summary>
    public DateTimeOffset? Since { get; init; }
    public ReportGrouping By { get; init; }
}

/// <summary>
/// When an incident started, was detected, mitigated and resolved: the recorded times, else the first
/// timeline entry of that kind (as the postmortem template reads them).
/// </summary>
public sealed record Milestones(DateTimeOffset? Started, DateTimeOffset? Detected, DateTimeOffset? Mitigated, DateTimeOffset? Resolved)
{
    public static Milestones Of(Incident incident)
    {
        DateTimeOffset? First(TimelineKind kind) => incident.Timeline.Where(e => e.Kind == kind).OrderBy(e => e.At).FirstOrDefault()?.At;
        var t = incident.Times;
        return new Milestones(
            t.Started ?? t.FirstReported ?? incident.Timeline.OrderBy(e => e.At).FirstOrDefault()?.At,
            t.Detected ?? First(TimelineKind.Detection) ?? t.FirstReported,
            t.Mitigated ?? First(TimelineKind.Mitigation),
            t.Resolved ?? First(TimelineKind.Resolution));
    }
}

/// <summary>An incident left out of one measure, and why.</summary>
public sealed record MissingTime(string IncidentId, string Reason);

/// <summary>Mean and median of one measure over the incidents that have both of its times.</summary>
/// <remarks>Minutes rounded to a tenth: the figures are read by people, and JSON keeps them as plain numbers.</remarks>
public sealed record DurationStats(string Measure, int Measured, double? MeanMinutes, double? MedianMinutes, IReadOnlyList<MissingTime> Missing)
{
    public TimeSpan? Mean => MeanMinutes is { } m ? TimeSpan.FromMinutes(m) : null;
    public TimeSpan? Median => MedianMinutes is { } m ? TimeSpan.FromMinutes(m) : null;
}

public sealed record ReportGroup(string Key, int Incidents, IReadOnlyList<string> IncidentIds, DurationStats TimeToDetect, DurationStats TimeToMitigate,
    DurationStats TimeToResolve);

public sealed record IncidentReport(DateTimeOffset GeneratedAt, DateTimeOffset? Since, string By, int Incidents,
    IReadOnlyDictionary<string, int> BySeverity, IReadOnlyDictionary<string, int> ByStatus, ReportGroup Overall, IReadOnlyList<ReportGroup> Groups);

/// <summary>
/// Counts and time to detect, mitigate and resolve (each from the start) across incidents, overall and
/// per service, severity or month. An incident without one of a measure's times is left out of that
/// measure and named, never averaged in as zero.
/// </summary>
public static class RecoveryReport
{
    public const string NoService = "(no service)";

    public static IncidentReport Build(IEnumerable<Incident> incidents, ReportOptions options, DateTimeOffset now)
    {
        var chosen = incidents
            .Select(i => (Incident: i, Times: Milestones.Of(i)))
            .Where(x => options.Since is not { } since || (x.Times.Started ?? x.Incident.CreatedAt) >= since)
            .OrderBy(x => x.Times.Started ?? x.Incident.CreatedAt).ThenBy(x => x.Incident.Id, StringComparer.Ordinal)
            .ToList();
        var groups = options.By switch
        {
            ReportGrouping.Service => chosen
                .SelectMany(x => (x.Incident.Components.Services.Count > 0 ? x.Incident.Components.Services : [NoService]).Distinct().Select(s => (Key: s, x)))
                .GroupBy(p => p.Key, p => p.x, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal),
            ReportGrouping.Severity => chosen.GroupBy(x => Vocabulary.Word(x.Incident.Severity)).OrderBy(g => g.Key, StringComparer.Ordinal),
            ReportGrouping.Month => chosen.GroupBy(x => (x.Times.Started ?? x.Incident.CreatedAt).UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture))
                .OrderBy(g => g.Key, StringComparer.Ordinal),
            _ => Enumerable.Empty<IGrouping<string, (Incident Incident, Milestones Times)>>(),
        };
        return new IncidentReport(now, options.Since, options.By == ReportGrouping.None ? "none" : Vocabulary.Word(options.By), chosen.Count,
            Count(chosen.Select(x => Vocabulary.Word(x.Incident.Severity))),
            Count(chosen.Select(x => Vocabulary.Word(x.Incident.Status))),
            Group("all", chosen),
            [.. groups.Select(g => Group(g.Key, [.. g]))]);
    }

    private static SortedDictionary<string, int> Count(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

    private static ReportGroup Group(string key, IReadOnlyList<(Incident Incident, Milestones Times)> members) => new(
        key, members.Count, [.. members.Select(m => m.Incident.Id)],
        Measure("time to detect", members, m => m.Detected, "detected"),
        Measure("time to mitigate", members, m => m.Mitigated, "mitigated"),
        Measure("time to resolve", members, m => m.Resolved, "resolved"));

    private static DurationStats Measure(string name, IReadOnlyList<(Incident Incident, Milestones Times)> members,
        Func<Milestones, DateTimeOffset?> end, string endWord)
    {
        var spans = new List<TimeSpan>();
        var missing = new List<MissingTime>();
        foreach (var (incident, times) in members)
        {
            var reason = (times.Started, end(times)) switch
            {
                (null, null) => $"no started or {endWord} time",
                (null, _) => "no started time",
                (_, null) => $"no {endWord} time",
                var (s, e) when e < s => $"{endWord} before it started",
                _ => null,
            };
            if (reason is null)
            {
                spans.Add(end(times)!.Value - times.Started!.Value);
            }
            else
            {
                missing.Add(new MissingTime(incident.Id, reason));
            }
        }
        if (spans.Count == 0)
        {
            return new DurationStats(name, 0, null, null, missing);
        }
        spans.Sort();
        var mid = spans.Count / 2;
        var median = spans.Count % 2 == 1 ? spans[mid] : (spans[mid - 1] + spans[mid]) / 2;
        var mean = TimeSpan.FromTicks((long)spans.Average(s => (double)s.Ticks));
        return new DurationStats(name, spans.Count, Math.Round(mean.TotalMinutes, 1), Math.Round(median.TotalMinutes, 1), missing);
    }

    /// <summary>A duration as people say it: 42m, 3h 05m, 2d 4h.</summary>
    public static string Format(TimeSpan? span) => span is not { } s ? "-"
        : s.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(s.TotalMinutes):0}m")
        : s.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalHours}h {s.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalDays}d {s.Hours}h");
}
