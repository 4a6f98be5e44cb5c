namespace Hokusai.Incidents;

/// <summary>
/// The edits people make to an incident, as pure functions from one record to the next. They check
/// references (H#, T#) and name what is wrong; the store makes them atomic.
/// </summary>
public static class IncidentChanges
{
    public static Incident AddTimelineEntry(this Incident incident, TimelineEntry entry, DateTimeOffset now)
    {
        var flagged = entry with { At = entry.At.ToUniversalTime(), Flag = TimelineChecks.FlagFor(incident, entry, now) };
        return incident with { Timeline = [.. incident.Timeline.Append(flagged).OrderBy(e => e.At)] };
    }

    /// <summary>
    /// Moves the incident to a status; resolving or closing it without a resolved time records now as that
    /// time (a time given with the change wins, since <paramref name="times"/> already holds it).
    /// </summary>
    public static Incident WithStatus(this Incident incident, IncidentStatus status, IncidentTimes times, DateTimeOffset now) => incident with
    {
        Status = status,
        Times = status is IncidentStatus.Resolved or IncidentStatus.Closed && times.Resolved is null ? times with { Resolved = now } : times,
    };

    public static Incident AddHypothesis(this Incident incident, Hypothesis hypothesis)
    {
        CheckConfidence(hypothesis.Confidence);
        var number = hypothesis.Number > 0 ? hypothesis.Number : NextNumber(incident.Hypotheses.Select(h => h.Number));
        if (incident.Hypotheses.Any(h => h.Number == number))
        {
            throw new InvalidInputException($"incident '{incident.Id}' already has hypothesis H{number}");
        }
        return incident with { Hypotheses = [.. incident.Hypotheses.Append(hypothesis with { Number = number }).OrderBy(h => h.Number)] };
    }

    public static Hypothesis GetHypothesis(this Incident incident, int number) =>
        incident.Hypotheses.FirstOrDefault(h => h.Number == number)
        ?? throw new NotFoundException($"incident '{incident.Id}' has no hypothesis H{number}");

    public static Incident UpdateHypothesis(this Incident incident, int number, Func<Hypothesis, Hypothesis> change)
    {
        var before = incident.GetHypothesis(number);
        var after = change(before) with { Number = number };
        CheckConfidence(after.Confidence);
        return incident with { Hypotheses = [.. incident.Hypotheses.Select(h => h.Number == number ? after : h)] };
    }

    /// <summary>Moves a hypothesis to a new status, keeping a dated record of the change.</summary>
    public static Incident SetHypothesisStatus(this Incident incident, int number, HypothesisStatus status, string? outcome, DateTimeOffset now) =>
        incident.UpdateHypothesis(number, h => h.MovedTo(status, outcome, now));

    /// <summary>
    /// The one way a hypothesis changes status, whoever changes it (a command, an imported document):
    /// the change goes into its dated history.
    /// </summary>
    public static Hypothesis MovedTo(this Hypothesis h, HypothesisStatus status, string? outcome, DateTimeOffset at) => h with
    {
        Status = status,
        Outcome = outcome ?? h.Outcome,
        History = [.. h.History, new StatusChange { At = at, From = h.Status, To = status, Note = outcome }],
    };

    public static Incident AddTask(this Incident incident, FixTask task)
    {
        var number = task.Number > 0 ? task.Number : NextNumber(incident.Tasks.Select(t => t.Number));
        if (incident.Tasks.Any(t => t.Number == number))
        {
            throw new InvalidInputException($"incident '{incident.Id}' already has task T{number}");
        }
        var parent = task.Parent is { } p ? incident.GetTask(p) : null;
        foreach (var d in task.DependsOn)
        {
            incident.GetTask(d);
        }
        // A sub-item belongs where its parent is, at its parent's priority, unless told otherwise.
        var placed = parent is null ? task : task with
        {
            Group = task.Group ?? parent.Group,
            Section = task.Section ?? parent.Section,
            Priority = task.Priority ?? parent.Priority,
        };
        return incident with { Tasks = [.. incident.Tasks.Append(placed with { Number = number })] };
    }

    public static FixTask GetTask(this Incident incident, int number) =>
        incident.Tasks.FirstOrDefault(t => t.Number == number)
        ?? throw new NotFoundException($"incident '{incident.Id}' has no task T{number}");

    public static Incident UpdateTask(this Incident incident, int number, Func<FixTask, FixTask> change)
    {
        var after = change(incident.GetTask(number)) with { Number = number };
        foreach (var d in after.DependsOn)
        {
            if (d == number)
            {
                throw new InvalidInputException($"task T{number} cannot depend on itself");
            }
            incident.GetTask(d);
        }
        return incident with { Tasks = [.. incident.Tasks.Select(t => t.Number == number ? after : t)] };
    }

    public static Incident SetTaskDone(this Incident incident, int number, bool done, DateTimeOffset now) =>
        incident.UpdateTask(number, t => t with { Done = done, DoneAt = done ? t.DoneAt ?? now : null });

    /// <summary>Sub-items of a task, in list order.</summary>
    public static IEnumerable<FixTask> ChildrenOf(this Incident incident, int? parent) =>
        incident.Tasks.Where(t => t.Parent == parent);

    /// <summary>Checks that an H# or T# link target exists on the incident.</summary>
    public static string CheckLinkTarget(this Incident incident, string target)
    {
        var key = Vocabulary.ParseLinkTarget(target);
        var n = int.Parse(key.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        _ = key[0] == 'H' ? (object)incident.GetHypothesis(n) : incident.GetTask(n);
        return key;
    }

    private static void CheckConfidence(int? confidence)
    {
        if (confidence is < 0 or > 100)
        {
            throw new InvalidInputException($"invalid confidence '{confidence}': use a percent from 0 to 100");
        }
    }

    private static int NextNumber(IEnumerable<int> used) => used.DefaultIfEmpty(0).Max() + 1;
}

/// <summary>Sanity checks on timeline entries against the clock and the incident's own milestones.</summary>
public static class TimelineChecks
{
    /// <summary>Entries may be a little ahead of this machine's clock before they count as "in the future".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static string? FlagFor(Incident incident, TimelineEntry entry, DateTimeOffset now)
    {
        var at = entry.At;
        var t = incident.Times;
        if (at > now + ClockSkew)
        {
            return $"in the future (after {TimeInput.Format(now)})";
        }
        if (t.Started is { } started && at < started)
        {
            return $"before the incident started ({TimeInput.Format(started)})";
        }
        if (entry.Kind == TimelineKind.Detection && t.Started is null && t.Detected is { } det && at < det)
        {
            return $"before the recorded detection ({TimeInput.Format(det)})";
        }
        if (entry.Kind is TimelineKind.Mitigation or TimelineKind.Resolution && t.Detected is { } detected && at < detected)
        {
            return $"{Vocabulary.Word(entry.Kind)} before the incident was detected ({TimeInput.Format(detected)})";
        }
        if (t.Resolved is { } resolved && entry.Kind == TimelineKind.Detection && at > resolved)
        {
            return $"detection after the incident was resolved ({TimeInput.Format(resolved)})";
        }
        return null;
    }

    /// <summary>Problems with the milestones themselves: each must not come before the one it follows.</summary>
    public static IReadOnlyList<string> CheckMilestones(IncidentTimes t, DateTimeOffset now)
    {
        var problems = new List<string>();
        void Order(DateTimeOffset? earlier, string earlierName, DateTimeOffset? later, string laterName)
        {
            if (earlier is { } a && later is { } b && b < a)
            {
                problems.Add($"{laterName} ({TimeInput.Format(b)}) is before {earlierName} ({TimeInput.Format(a)})");
            }
        }
        Order(t.Started, "started", t.Detected, "detected");
        Order(t.Detected, "detected", t.Mitigated, "mitigated");
        Order(t.Mitigated, "mitigated", t.Resolved, "resolved");
        Order(t.Started, "started", t.Resolved, "resolved");
        foreach (var (value, name) in new[] { (t.Started, "started"), (t.Detected, "detected"), (t.Mitigated, "mitigated"), (t.Resolved, "resolved") })
        {
            if (value > now + ClockSkew)
            {
                problems.Add($"{name} ({TimeInput.Format(value.Value)}) is in the future");
            }
        }
        return problems;
    }
}
