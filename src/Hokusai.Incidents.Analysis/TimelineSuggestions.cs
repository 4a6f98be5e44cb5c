using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Analysis;

/// <summary>A milestone of the incident that an accepted suggestion would set while it is unset.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Milestone>))]
public enum Milestone
{
    Detected,
    Mitigated,
    Resolved,
}

/// <summary>
/// One moment the evidence shows, proposed as a timeline entry: when, what kind of moment
/// (<see cref="Moment"/>: deployment-started, task-stopped, first-error…), and the evidence it rests on.
/// </summary>
public sealed record TimelineSuggestion(
    string Id, DateTimeOffset At, TimelineKind Kind, string Moment, string Text, IReadOnlyList<string> Evidence, Milestone? Sets);

/// <summary>
/// Draws timeline entries from stored evidence: ECS deployments starting and completing, tasks
/// stopping and why, service events that say a task could not be placed or is unhealthy, the first
/// and last error of each log group and bursts of errors, endpoints turning unhealthy and healthy
/// again. Moments the written timeline already has are left out.
/// </summary>
public static partial class TimelineSuggestions
{
    /// <summary>Errors this close together in one log group are one burst…</summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromMinutes(1);

    /// <summary>…when there are at least this many of them.</summary>
    public const int BurstSize = 5;

    /// <summary>Repeats of the same ECS happening (a task stopping, a failing health check) this close together are one entry.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(15);

    /// <summary>An entry citing the same evidence within this span of a suggestion is the same moment.</summary>
    public static readonly TimeSpan SameMomentWithEvidence = TimeSpan.FromMinutes(15);

    /// <summary>An entry of the same kind within this span is the same moment even without shared evidence.</summary>
    public static readonly TimeSpan SameMomentOfKind = TimeSpan.FromMinutes(2);

    public static IReadOnlyList<TimelineSuggestion> Suggest(Incident incident, IEnumerable<Evidence> evidence)
    {
        var drafts = new List<Draft>();
        var errors = new Dictionary<string, List<Evidence>>(StringComparer.Ordinal);
        var checks = new Dictionary<string, List<Evidence>>(StringComparer.Ordinal);
        var stopped = new List<Evidence>();
        var serviceEvents = new List<Evidence>();
        foreach (var e in evidence)
        {
            if (e.Time is null)
            {
                continue;
            }
            switch (e.Kind)
            {
                case EvidenceKind.LogExcerpt when LooksLikeError(e.Content):
                    var group = e.Attributes.GetValueOrDefault(EvidenceAttributes.LogGroup) ?? e.Source ?? "logs";
                    Add(errors, group, e);
                    break;
                case EvidenceKind.EndpointCheck when (e.Attributes.GetValueOrDefault(EvidenceAttributes.Url) ?? e.Source) is { } url:
                    Add(checks, url, e);
                    break;
                case EvidenceKind.EcsEvent when e.Title == "deployment":
                    drafts.AddRange(Deployment(e));
                    break;
                case EvidenceKind.EcsEvent when e.Title == "stopped task":
                    stopped.Add(e);
                    break;
                case EvidenceKind.EcsEvent when e.Title == "service event":
                    serviceEvents.Add(e);
                    break;
                default:
                    break;
            }
        }
        drafts.AddRange(StoppedTasks(stopped));
        drafts.AddRange(ServiceEvents(serviceEvents));
        foreach (var (group, items) in errors)
        {
            drafts.AddRange(Errors(group, items));
        }
        var health = checks.Select(c => Endpoint(c.Key, c.Value)).ToList();
        drafts.AddRange(health.SelectMany(h => h));
        drafts = MergeCompletion(drafts);
        AssignMilestones(drafts, health.All(h => h.Count == 0 || h[^1].Moment == "endpoint-healthy"), incident.Times);

        var fresh = drafts
            .Where(d => !incident.Timeline.Any(entry => SameMoment(entry, d)))
            .OrderBy(d => d.At).ThenBy(d => d.Evidence.DefaultIfEmpty(0).Min())
            .ToList();
        return [.. fresh.Select((d, i) => new TimelineSuggestion(
            $"S{i + 1}", d.At, d.Kind, d.Moment, d.Text, [.. d.Evidence.Select(n => $"E{n}")], d.Sets))];
    }

    /// <summary>Picks suggestions by id (S1, s3, 3); an unknown id names itself.</summary>
    public static IReadOnlyList<TimelineSuggestion> Pick(IReadOnlyList<TimelineSuggestion> suggestions, string selection)
    {
        if (selection.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return suggestions;
        }
        var picked = new List<TimelineSuggestion>();
        foreach (var part in selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var digits = part.StartsWith('S') || part.StartsWith('s') ? part[1..] : part;
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw new InvalidInputException($"invalid suggestion '{part}': use all or suggestion ids such as S1,S3");
            }
            var s = suggestions.FirstOrDefault(x => x.Id == $"S{n}")
                ?? throw new NotFoundException($"no suggestion S{n}: there are {suggestions.Count} (see 'incidents timeline suggest')");
            if (!picked.Contains(s))
            {
                picked.Add(s);
            }
        }
        return picked;
    }

    /// <summary>Adds the suggestions as timeline entries linked to their evidence, and sets each unset milestone they name.</summary>
    public static Incident Accept(Incident incident, IEnumerable<TimelineSuggestion> accepted, DateTimeOffset now)
    {
        var result = incident;
        foreach (var s in accepted.OrderBy(s => s.At))
        {
            var times = result.Times;
            result = result with
            {
                Times = s.Sets switch
                {
                    Milestone.Detected when times.Detected is null => times with { Detected = s.At },
                    Milestone.Mitigated when times.Mitigated is null => times with { Mitigated = s.At },
                    Milestone.Resolved when times.Resolved is null => times with { Resolved = s.At },
                    _ => times,
                },
            };
            result = result.AddTimelineEntry(new TimelineEntry { At = s.At, Kind = s.Kind, Text = s.Text, Evidence = s.Evidence }, now);
        }
        return result;
    }

    private sealed class Draft(DateTimeOffset at, TimelineKind kind, string moment, string text, IEnumerable<long> evidence, string subject)
    {
        public DateTimeOffset At { get; set; } = at;
        public TimelineKind Kind { get; set; } = kind;
        public string Moment { get; } = moment;
        public string Text { get; set; } = text;
        public List<long> Evidence { get; } = [.. evidence];
        /// <summary>What the moment is about (a service, a log group, a URL).</summary>
        public string Subject { get; } = subject;
        public Milestone? Sets { get; set; }
        /// <summary>Something is wrong at this moment (as opposed to a deployment or a recovery).</summary>
        public bool Problem => Moment is "task-stopped" or "service-unhealthy" or "task-not-placed" or "first-error" or "error-burst"
            or "endpoint-unhealthy" or "deployment-failed";
    }

    private static void Add(Dictionary<string, List<Evidence>> map, string key, Evidence e)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(e);
    }

    private static IEnumerable<Draft> Deployment(Evidence e)
    {
        var service = ServiceOf(e);
        var id = e.Attributes.GetValueOrDefault(EvidenceAttributes.DeploymentId) ?? "?";
        var taskDef = TaskDefinition().Match(e.Content) is { Success: true } m ? $" ({m.Groups[1].Value})" : "";
        if (e.Attributes.GetValueOrDefault(EvidenceAttributes.DeploymentCreatedAt) is { } created
            && TimeInput.TryParse(created, e.Time!.Value, out var createdAt))
        {
            yield return new Draft(createdAt, TimelineKind.Deploy, "deployment-started",
                $"ECS deployment {id} of {service} started{taskDef}", [e.Number], service);
        }
        var rollout = e.Attributes.GetValueOrDefault(EvidenceAttributes.RolloutState) ?? RolloutIn(e.Content);
        if (rollout == "COMPLETED")
        {
            yield return new Draft(e.Time!.Value, TimelineKind.Deploy, "deployment-completed",
                $"ECS deployment {id} of {service} completed{taskDef}", [e.Number], service);
        }
        else if (rollout == "FAILED")
        {
            var why = RolloutReason().Match(e.Content) is { Success: true } r ? $": {r.Groups[1].Value}" : "";
            yield return new Draft(e.Time!.Value, TimelineKind.Observation, "deployment-failed",
                $"ECS deployment {id} of {service} failed{why}", [e.Number], service);
        }
    }

    /// <summary>Tasks of one service stopping for the same reason in quick succession are one entry at the first stop.</summary>
    private static IEnumerable<Draft> StoppedTasks(List<Evidence> tasks)
    {
        foreach (var run in Runs(tasks, t => $"{ServiceOf(t)}\n{StopReason(t)}"))
        {
            var first = run[0];
            var service = ServiceOf(first);
            var exits = ExitCode().Matches(first.Content).Select(m => m.Groups[1].Value).Distinct().ToList();
            var exitText = exits.Count > 0 ? $", exit code {string.Join("/", exits)}" : "";
            var count = run.Count == 1 ? "a task" : $"{run.Count} tasks";
            var span = run.Count == 1 ? "" : $" (the last at {TimeInput.Format(run[^1].Time!.Value)})";
            yield return new Draft(first.Time!.Value, TimelineKind.Observation, "task-stopped",
                $"ECS stopped {count} of {service}: {StopReason(first)}{exitText}{span}", run.Select(t => t.Number), service);
        }
    }

    private static IEnumerable<Draft> ServiceEvents(List<Evidence> events)
    {
        var unhealthy = events.Where(e => Unhealthy().IsMatch(e.Content)).ToList();
        foreach (var run in Runs(unhealthy, e => $"{ServiceOf(e)}\n{TargetGroup().Match(e.Content).Value}"))
        {
            var tg = TargetGroup().Match(run[0].Content) is { Success: true } m ? $" in target group {m.Groups[1].Value}" : "";
            var times = run.Count == 1 ? "" : $" ({run.Count} times until {TimeInput.Format(run[^1].Time!.Value)})";
            yield return new Draft(run[0].Time!.Value, TimelineKind.Observation, "service-unhealthy",
                $"ECS reports tasks of {ServiceOf(run[0])} unhealthy{tg}{times}", run.Select(e => e.Number), ServiceOf(run[0]));
        }
        var unplaced = events.Where(e => NotPlaced().IsMatch(e.Content)).ToList();
        foreach (var run in Runs(unplaced, ServiceOf))
        {
            var times = run.Count == 1 ? "" : $" ({run.Count} times until {TimeInput.Format(run[^1].Time!.Value)})";
            yield return new Draft(run[0].Time!.Value, TimelineKind.Observation, "task-not-placed",
                $"ECS was unable to place a task of {ServiceOf(run[0])}{times}: {FirstLine(run[0].Content)}", run.Select(e => e.Number), ServiceOf(run[0]));
        }
        // Kept only when it ends trouble (see MergeCompletion): ECS repeats it every few hours.
        foreach (var e in events.Where(e => SteadyState().IsMatch(e.Content)).OrderBy(e => e.Time))
        {
            var service = ServiceOf(e);
            yield return new Draft(e.Time!.Value, TimelineKind.Observation, "steady-state",
                $"ECS service {service} reached a steady state", [e.Number], service);
        }
    }

    private static IEnumerable<Draft> Errors(string group, List<Evidence> items)
    {
        var ordered = items.OrderBy(e => e.Time).ThenBy(e => e.Number).ToList();
        var first = ordered[0];
        var last = ordered[^1];
        var bursts = new List<List<Evidence>>();
        var current = new List<Evidence>();
        foreach (var e in ordered)
        {
            if (current.Count > 0 && e.Time - current[0].Time > BurstWindow)
            {
                if (current.Count >= BurstSize)
                {
                    bursts.Add(current);
                }
                current = [];
            }
            current.Add(e);
        }
        if (current.Count >= BurstSize)
        {
            bursts.Add(current);
        }
        var firstBurst = bursts.FirstOrDefault(b => b[0] == first);
        var burstText = firstBurst is null ? "" : $"; {firstBurst.Count} errors within {Seconds(firstBurst)}";
        yield return new Draft(first.Time!.Value, TimelineKind.Observation, "first-error",
            $"First error in {group}: {Clip(FirstLine(first.Content))}{burstText}",
            firstBurst is null ? [first.Number] : [first.Number, firstBurst[^1].Number], group);
        foreach (var burst in bursts.Where(b => b != firstBurst))
        {
            yield return new Draft(burst[0].Time!.Value, TimelineKind.Observation, "error-burst",
                $"Burst of {burst.Count} errors in {group} within {Seconds(burst)}: {Clip(FirstLine(burst[0].Content))}",
                [burst[0].Number, burst[^1].Number], group);
        }
        if (last != first && (firstBurst is null || !firstBurst.Contains(last)))
        {
            yield return new Draft(last.Time!.Value, TimelineKind.Observation, "last-error",
                $"Last error in {group} ({ordered.Count} in all): {Clip(FirstLine(last.Content))}", [last.Number], group);
        }
    }

    /// <summary>Each change of an endpoint between healthy and unhealthy; a first healthy answer is no moment.</summary>
    private static List<Draft> Endpoint(string url, List<Evidence> checks)
    {
        var moments = new List<Draft>();
        bool? healthy = null;
        foreach (var c in checks.OrderBy(c => c.Time).ThenBy(c => c.Number))
        {
            var ok = c.Attributes.GetValueOrDefault(EvidenceAttributes.Outcome) == EndpointOutcomes.Ok;
            if (ok == healthy || (healthy is null && ok))
            {
                healthy = ok;
                continue;
            }
            healthy = ok;
            var answer = c.Attributes.GetValueOrDefault(EvidenceAttributes.StatusCode) is { } code
                ? $"{c.Attributes.GetValueOrDefault(EvidenceAttributes.Outcome)} ({code})"
                : c.Attributes.GetValueOrDefault(EvidenceAttributes.Outcome) ?? "no answer";
            moments.Add(ok
                ? new Draft(c.Time!.Value, TimelineKind.Observation, "endpoint-healthy", $"{url} healthy again", [c.Number], url)
                : new Draft(c.Time!.Value, TimelineKind.Observation, "endpoint-unhealthy", $"{url} unhealthy: {answer}", [c.Number], url));
        }
        return moments;
    }

    /// <summary>A deployment completing and its service reaching a steady state are one moment.</summary>
    private static List<Draft> MergeCompletion(List<Draft> drafts)
    {
        foreach (var steady in drafts.Where(d => d.Moment == "steady-state").ToList())
        {
            var completed = drafts.FirstOrDefault(d => d.Moment == "deployment-completed" && d.Subject == steady.Subject
                && (d.At - steady.At).Duration() <= TimeSpan.FromMinutes(5));
            if (completed is not null)
            {
                completed.Evidence.AddRange(steady.Evidence);
                completed.At = completed.At < steady.At ? completed.At : steady.At;
                completed.Text += " and the service reached a steady state";
                drafts.Remove(steady);
            }
        }
        // A steady state with nothing wrong before it on that service is ECS's routine report: not a moment.
        return [.. drafts.Where(d => d.Moment != "steady-state"
            || drafts.Any(p => p.Problem && p.At < d.At && (p.Subject == d.Subject || p.Moment is "endpoint-unhealthy" or "first-error")))];
    }

    /// <summary>
    /// Detected: the first endpoint turning unhealthy, else the first sign of trouble. Mitigated: the first
    /// deployment completing (or steady state) after it. Resolved: the last endpoint recovering, when all have.
    /// </summary>
    private static void AssignMilestones(List<Draft> drafts, bool allEndpointsHealthy, IncidentTimes times)
    {
        var ordered = drafts.OrderBy(d => d.At).ToList();
        var detected = ordered.FirstOrDefault(d => d.Moment == "endpoint-unhealthy") ?? ordered.FirstOrDefault(d => d.Problem);
        if (detected is null)
        {
            return;
        }
        detected.Kind = TimelineKind.Detection;
        var firstProblem = ordered.First(d => d.Problem).At;
        var mitigated = ordered.FirstOrDefault(d => d.At > firstProblem && d.Moment is "deployment-completed" or "steady-state");
        if (mitigated is not null)
        {
            mitigated.Kind = TimelineKind.Mitigation;
        }
        var recovered = ordered.LastOrDefault(d => d.Moment == "endpoint-healthy");
        if (allEndpointsHealthy && recovered is not null && ordered.Any(d => d.Moment == "endpoint-unhealthy"))
        {
            recovered.Kind = TimelineKind.Resolution;
        }
        else
        {
            recovered = null;
        }
        detected.Sets = times.Detected is null ? Milestone.Detected : null;
        if (mitigated is not null && times.Mitigated is null)
        {
            mitigated.Sets = Milestone.Mitigated;
        }
        if (recovered is not null && times.Resolved is null)
        {
            recovered.Sets = Milestone.Resolved;
        }
    }

    private static bool SameMoment(TimelineEntry entry, Draft d)
    {
        var apart = (entry.At - d.At).Duration();
        if (apart <= SameMomentWithEvidence && d.Evidence.Any(n => entry.Evidence.Contains($"E{n}")))
        {
            return true;
        }
        return apart <= SameMomentOfKind && entry.Kind == d.Kind && d.Kind != TimelineKind.Observation
            || apart <= SameMomentOfKind && entry.Text.Contains(d.Subject, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits items into runs of the same key where each follows the previous within <see cref="RepeatWindow"/>.</summary>
    private static IEnumerable<List<Evidence>> Runs(IEnumerable<Evidence> items, Func<Evidence, string> key)
    {
        foreach (var same in items.GroupBy(key))
        {
            var run = new List<Evidence>();
            foreach (var e in same.OrderBy(e => e.Time).ThenBy(e => e.Number))
            {
                if (run.Count > 0 && e.Time - run[^1].Time > RepeatWindow)
                {
                    yield return run;
                    run = [];
                }
                run.Add(e);
            }
            if (run.Count > 0)
            {
                yield return run;
            }
        }
    }

    internal static bool LooksLikeError(string text) => ErrorWords().IsMatch(text);

    private static string ServiceOf(Evidence e) =>
        e.Attributes.GetValueOrDefault(EvidenceAttributes.Service)
        ?? (ServiceInMessage().Match(e.Content) is { Success: true } m ? m.Groups[1].Value : e.Source ?? "ECS");

    private static string StopReason(Evidence task)
    {
        var line = FirstLine(task.Content);
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        var reason = colon >= 0 ? line[(colon + 2)..] : task.Attributes.GetValueOrDefault(EvidenceAttributes.StopCode) ?? "no reason given";
        return task.Attributes.GetValueOrDefault(EvidenceAttributes.StopCode) is { } code && !reason.Contains(code, StringComparison.Ordinal)
            ? $"{reason} ({code})"
            : reason;
    }

    private static string? RolloutIn(string content) => Rollout().Match(content) is { Success: true } m ? m.Groups[1].Value : null;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string Clip(string text) => text.Length <= 160 ? text : text[..157] + "…";

    private static string Seconds(List<Evidence> run) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling((run[^1].Time!.Value - run[0].Time!.Value).TotalSeconds))} s");

    [GeneratedRegex(@"\b(?:ERROR|FATAL|CRITICAL|SEVERE|PANIC|Traceback|Exception|[A-Z][A-Za-z]*(?:Error|Exception)|timed out|refused)\b|\berror:", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorWords();

    [GeneratedRegex(@"\bis unhealthy in \(?target-group|\bfailed (?:ELB|container) health checks?\b|\bunhealthy in target[- ]group\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Unhealthy();

    [GeneratedRegex(@"\bunable to place a task\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotPlaced();

    [GeneratedRegex(@"\bhas reached a steady state\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SteadyState();

    [GeneratedRegex(@"target-?group[/ ]?(?:arn:[^ )]*:targetgroup/)?([A-Za-z0-9\-_.]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TargetGroup();

    [GeneratedRegex(@"^\(service ([^)]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceInMessage();

    [GeneratedRegex(@"task definition (\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex TaskDefinition();

    [GeneratedRegex(@"rollout ([A-Z_]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Rollout();

    [GeneratedRegex(@"rollout [A-Z_]+ \(([^)]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex RolloutReason();

    [GeneratedRegex(@"exit code (-?\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ExitCode();
}
