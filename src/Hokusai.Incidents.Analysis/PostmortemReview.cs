using System.Globalization;
using Hokusai.Incidents.Redaction;

namespace Hokusai.Incidents.Analysis;

/// <summary>One thing a reviewer would flag: which rule, where in the record, what is wrong and how to fix it.</summary>
public sealed record LintFinding(string Rule, string Where, string Message, string Fix)
{
    /// <summary>The H#, T#, E# or field names the finding is about, for scripts.</summary>
    public IReadOnlyList<string> Items { get; init; } = [];
}

public sealed record LintOptions
{
    /// <summary>Longer silences in the timeline while the incident was active are flagged.</summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromHours(4);

    public required DateTimeOffset Now { get; init; }

    /// <summary>The store's redactor (its kept patterns included): text it would still change looks like a secret.</summary>
    public Redactor Redactor { get; init; } = Redactor.Default;
}

/// <summary>
/// The postmortem review: what a careful reviewer flags before a write-up is done. Each rule is one
/// method, named by its <see cref="Rules"/> id, so a finding says which rule raised it.
/// </summary>
public static class PostmortemReview
{
    /// <summary>Process exit code of <c>incidents lint</c> when anything is flagged.</summary>
    public const int FindingsExitCode = 7;

    public static class Rules
    {
        public const string OpenHypothesis = "open-hypothesis";
        public const string TaskOwner = "task-owner";
        public const string TaskDue = "task-due";
        public const string MissingTime = "missing-time";
        public const string TimelineGap = "timeline-gap";
        public const string TimelineTime = "timeline-time";
        public const string EmptySection = "empty-section";
        public const string Secret = "secret";
        public const string DanglingLink = "dangling-link";
    }

    /// <summary>At most this many item keys are named in a message (all are in <see cref="LintFinding.Items"/>).</summary>
    private const int NamedInMessage = 12;

    public static IReadOnlyList<LintFinding> Check(Incident incident, IEnumerable<Evidence> evidence, LintOptions options)
    {
        var items = evidence as IReadOnlyCollection<Evidence> ?? [.. evidence];
        return
        [
            .. OpenHypotheses(incident),
            .. Tasks(incident),
            .. MissingTimes(incident),
            .. TimelineTimes(incident, options.Now),
            .. TimelineGaps(incident, options.MaxGap),
            .. EmptySections(incident),
            .. Secrets(incident, items, options.Redactor),
            .. DanglingLinks(incident, items),
        ];
    }

    public static bool IsOver(Incident incident) => incident.Status is IncidentStatus.Resolved or IncidentStatus.Closed;

    private static IEnumerable<LintFinding> OpenHypotheses(Incident incident)
    {
        if (!IsOver(incident))
        {
            yield break;
        }
        foreach (var h in incident.Hypotheses.Where(h => h.Status == HypothesisStatus.Open))
        {
            yield return new LintFinding(Rules.OpenHypothesis, h.Key,
                $"{h.Key} \"{h.Title}\" is still open on a {Vocabulary.Word(incident.Status)} incident",
                $"incidents hypothesis set {incident.Id} {h.Key} --status confirmed|refuted --outcome TEXT")
            { Items = [h.Key] };
        }
    }

    /// <summary>Open action items need someone and a date; a sub-item has them when an item above it does.</summary>
    private static IEnumerable<LintFinding> Tasks(Incident incident)
    {
        var byNumber = incident.Tasks.GroupBy(t => t.Number).ToDictionary(g => g.Key, g => g.First());
        bool Inherits(FixTask t, Func<FixTask, bool> has)
        {
            var seen = new HashSet<int>();
            for (FixTask? x = t; x is not null && seen.Add(x.Number); x = x.Parent is { } p ? byNumber.GetValueOrDefault(p) : null)
            {
                if (has(x))
                {
                    return true;
                }
            }
            return false;
        }
        var open = incident.Tasks.Where(t => !t.Done).ToList();
        var noOwner = open.Where(t => !Inherits(t, x => !string.IsNullOrWhiteSpace(x.Owner))).Select(t => t.Key).ToList();
        var noDue = open.Where(t => !Inherits(t, x => x.Due is not null)).Select(t => t.Key).ToList();
        if (noOwner.Count > 0)
        {
            yield return new LintFinding(Rules.TaskOwner, Keys(noOwner),
                $"{Count(noOwner.Count, "open action item")} without an owner",
                $"incidents task set {incident.Id} T# --owner NAME (sub-items take their parent's owner)")
            { Items = noOwner };
        }
        if (noDue.Count > 0)
        {
            yield return new LintFinding(Rules.TaskDue, Keys(noDue),
                $"{Count(noDue.Count, "open action item")} without a due date",
                $"incidents task set {incident.Id} T# --due DATE (sub-items take their parent's date)")
            { Items = noDue };
        }
    }

    private static IEnumerable<LintFinding> MissingTimes(Incident incident)
    {
        var t = incident.Times;
        foreach (var (value, name, kind) in new[]
        {
            (t.Detected, "detected", TimelineKind.Detection),
            (t.Mitigated, "mitigated", TimelineKind.Mitigation),
            (t.Resolved, "resolved", TimelineKind.Resolution),
        })
        {
            if (value is null)
            {
                var fromTimeline = incident.Timeline.Any(e => e.Kind == kind)
                    ? $" (the postmortem falls back to the first {Vocabulary.Word(kind)} entry)"
                    : "";
                yield return new LintFinding(Rules.MissingTime, $"times.{name}", $"no {name} time{fromTimeline}",
                    $"incidents update {incident.Id} --{name} TIME, or accept it from 'incidents timeline suggest {incident.Id}'")
                { Items = [name] };
            }
        }
    }

    private static IEnumerable<LintFinding> TimelineTimes(Incident incident, DateTimeOffset now)
    {
        foreach (var entry in incident.Timeline)
        {
            if (TimelineChecks.FlagFor(incident, entry, now) is { } flag)
            {
                var at = TimeInput.Format(entry.At);
                yield return new LintFinding(Rules.TimelineTime, $"timeline {at}", $"timeline entry at {at} is {flag}: \"{Clip(entry.Text)}\"",
                    $"correct the entry's time in incidents/{incident.Id}/incident.json, or the incident's start with 'incidents update {incident.Id} --started TIME'")
                { Items = [at] };
            }
        }
    }

    /// <summary>Silences longer than the limit between the start and the resolution (or the last entry while unresolved).</summary>
    private static IEnumerable<LintFinding> TimelineGaps(Incident incident, TimeSpan maxGap)
    {
        var t = incident.Times;
        var points = incident.Timeline.Select(e => e.At).ToList();
        var start = t.Started ?? (points.Count > 0 ? points.Min() : (DateTimeOffset?)null);
        if (start is null)
        {
            yield break;
        }
        var end = t.Resolved ?? (points.Count > 0 ? points.Max() : start.Value);
        var marks = points.Where(p => p >= start && p <= end).Append(start.Value).Append(end).Distinct().Order().ToList();
        for (var i = 1; i < marks.Count; i++)
        {
            var gap = marks[i] - marks[i - 1];
            if (gap > maxGap)
            {
                var from = TimeInput.Format(marks[i - 1]);
                var to = TimeInput.Format(marks[i]);
                yield return new LintFinding(Rules.TimelineGap, $"timeline {from} – {to}",
                    $"nothing in the timeline for {Hours(gap)} between {from} and {to} while the incident was active",
                    $"incidents timeline add {incident.Id} --at TIME TEXT (what happened meanwhile), or 'incidents lint --max-gap' for a longer limit")
                { Items = [from, to] };
            }
        }
    }

    private static IEnumerable<LintFinding> EmptySections(Incident incident)
    {
        if (string.IsNullOrWhiteSpace(incident.RootCause))
        {
            yield return Empty(incident, "root cause", "root-cause", "--root-cause TEXT");
        }
        if (string.IsNullOrWhiteSpace(incident.BusinessImpact) && incident.DirectImpact.Count == 0 && string.IsNullOrWhiteSpace(incident.AffectedUsers))
        {
            yield return Empty(incident, "impact", "impact", "--impact TEXT");
        }
        if (incident.Lessons.Count == 0)
        {
            yield return Empty(incident, "lessons", "lessons", "--lesson TEXT");
        }
    }

    private static LintFinding Empty(Incident incident, string section, string field, string option) =>
        new(Rules.EmptySection, field, $"the postmortem's {section} section is empty", $"incidents update {incident.Id} {option}") { Items = [field] };

    /// <summary>Text the redactor would still change: stored before a pattern that now matches it was added.</summary>
    private static IEnumerable<LintFinding> Secrets(Incident incident, IReadOnlyCollection<Evidence> evidence, Redactor redactor)
    {
        var places = new List<string>();
        void Look(string where, string? text)
        {
            if (!string.IsNullOrEmpty(text) && redactor.Redact(text) != text)
            {
                places.Add(where);
            }
        }
        Look("title", incident.Title);
        Look("summary", incident.Summary);
        Look("root cause", incident.RootCause);
        Look("trigger", incident.Trigger);
        Look("solution", incident.Solution);
        Look("impact", incident.BusinessImpact);
        Look("technical explanation", incident.TechnicalExplanation);
        foreach (var (list, name) in new[] { (incident.ErrorMessages, "error messages"), (incident.Lessons, "lessons"), (incident.DirectImpact, "impact"), (incident.ContributingFactors, "contributing factors") })
        {
            foreach (var text in list)
            {
                Look(name, text);
            }
        }
        foreach (var e in incident.Timeline)
        {
            Look($"timeline {TimeInput.Format(e.At)}", e.Text);
        }
        foreach (var h in incident.Hypotheses)
        {
            Look(h.Key, string.Join('\n', new[] { h.Title, h.Description, h.Outcome, h.WhyItCausesTheBug, h.QuickFixTest }.Concat(h.Commands.Select(c => c.Code)).Where(x => x is not null)));
        }
        foreach (var t in incident.Tasks)
        {
            Look(t.Key, t.Title);
        }
        foreach (var n in incident.Notes)
        {
            Look($"note {n.HeadingPath ?? ""}".TrimEnd(), n.Text);
        }
        foreach (var e in evidence)
        {
            Look(e.Key, string.Join('\n', new[] { e.Title, e.Source, e.Content }.Where(x => x is not null)));
        }
        foreach (var where in places.Distinct())
        {
            yield return new LintFinding(Rules.Secret, where, $"{where} holds text that looks like a secret",
                $"replace it (the store redacts new writes; text stored before a pattern was added keeps it until rewritten)")
            { Items = [where] };
        }
    }

    private static IEnumerable<LintFinding> DanglingLinks(Incident incident, IReadOnlyCollection<Evidence> evidence)
    {
        var hypotheses = incident.Hypotheses.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        var tasks = incident.Tasks.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var e in evidence)
        {
            foreach (var target in e.Supports.Select(t => (t, "supports")).Concat(e.Refutes.Select(t => (t, "refutes"))))
            {
                var exists = target.t.StartsWith('H') ? hypotheses.Contains(target.t) : tasks.Contains(target.t);
                if (!exists)
                {
                    yield return new LintFinding(Rules.DanglingLink, e.Key,
                        $"{e.Key} {target.Item2} {target.t}, which the incident no longer has",
                        $"link it to what it bears on now: incidents evidence link {incident.Id} {e.Key} --{target.Item2} H#")
                    { Items = [e.Key, target.t] };
                }
            }
        }
        var known = evidence.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in incident.Timeline)
        {
            foreach (var key in entry.Evidence.Where(k => !known.Contains(k)))
            {
                var at = TimeInput.Format(entry.At);
                yield return new LintFinding(Rules.DanglingLink, $"timeline {at}", $"timeline entry at {at} cites {key}, which the incident does not have",
                    $"correct the entry's evidence in incidents/{incident.Id}/incident.json")
                { Items = [at, key] };
            }
        }
    }

    private static string Keys(IReadOnlyList<string> keys) =>
        keys.Count <= NamedInMessage ? string.Join(", ", keys) : $"{string.Join(", ", keys.Take(NamedInMessage))} and {keys.Count - NamedInMessage} more";

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : string.Create(CultureInfo.InvariantCulture, $"{n} {what}s");

    private static string Hours(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");

    private static string Clip(string text) => text.Length <= 80 ? text : text[..77] + "…";
}
