using Scriban.Runtime;

namespace Hokusai.Incidents.Rendering;

/// <summary>A past incident like this one, for the investigation's "Similar past issues" section.</summary>
/// <param name="Id">The past incident's id, or null for a free-text note recorded on the incident.</param>
/// <param name="Title">Its title, or the note's text.</param>
/// <param name="SharedTerms">The terms the search matched on, if any.</param>
public sealed record SimilarIssue(string? Id, string Title, IReadOnlyList<string> SharedTerms);

/// <summary>Everything a template can see: the incident, its evidence (kept apart in the store) and similar issues.</summary>
public sealed record RenderInput
{
    public required Incident Incident { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
    /// <summary>Issues a search found; the incident's own recorded similar issues are always listed after them.</summary>
    public IReadOnlyList<SimilarIssue> Similar { get; init; } = [];
}

/// <summary>
/// Builds the <c>incident</c> object templates see: every member of the incident record in snake_case,
/// plus its evidence and values derived once here so every template agrees on them (sort orders,
/// milestones and durations, task trees, the latest endpoint checks).
/// </summary>
public static class RenderModel
{
    /// <summary>How many of the newest log lines the status document shows.</summary>
    public const int RecentLogCount = 20;

    public static ScriptObject Build(RenderInput input)
    {
        var incident = input.Incident;
        var model = ScriptValues.Record(incident);

        var evidence = input.Evidence.OrderBy(e => e.Number).ToList();
        var evidenceObjects = new List<EvidenceView>(evidence.Count);
        var byKey = new Dictionary<string, EvidenceView>(StringComparer.OrdinalIgnoreCase);
        var supports = new Dictionary<string, ScriptArray>(StringComparer.OrdinalIgnoreCase);
        var refutes = new Dictionary<string, ScriptArray>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in evidence)
        {
            var obj = new EvidenceView(e);
            evidenceObjects.Add(obj);
            byKey[e.Key] = obj;
            foreach (var target in e.Supports)
            {
                Bucket(supports, target).Add(obj);
            }
            foreach (var target in e.Refutes)
            {
                Bucket(refutes, target).Add(obj);
            }
        }
        model["evidence"] = ToArray(evidenceObjects);
        model["severity_label"] = Vocabulary.Label(incident.Severity);
        model["similar"] = Similar(input);
        AddAuthoredMarkdown(model, incident);
        model["other_notes"] = OtherNotes(incident);

        AddTimeline(model, incident, byKey);
        AddHypotheses(model, incident, supports, refutes, evidence, byKey);
        AddTasks(model, incident);
        AddStatus(model, incident, evidence, evidenceObjects);
        return model;
    }

    /// <summary>The prose fields an imported document filled, as <see cref="AuthoredMarkdown"/> so md and cell render them as written.</summary>
    private static void AddAuthoredMarkdown(ScriptObject model, Incident incident)
    {
        foreach (var name in incident.MarkdownFields ?? [])
        {
            Authored(model, name == nameof(Incident.Title), StandardMemberRenamer.Rename(name));
        }
    }

    internal static void Authored(ScriptObject obj, params string[] members) => Authored(obj, false, members);

    internal static void Authored(ScriptObject obj, bool singleLine, params string[] members)
    {
        foreach (var member in members)
        {
            if (!obj.TryGetValue(member, out var value))
            {
                continue;
            }
            if (value is string s)
            {
                obj[member] = new AuthoredMarkdown(s, singleLine);
            }
            else if (value is ScriptArray array)
            {
                var wrapped = new ScriptArray(array.Count);
                foreach (var item in array)
                {
                    wrapped.Add(item is string text ? new AuthoredMarkdown(text, singleLine) : item);
                }
                obj[member] = wrapped;
            }
        }
    }

    /// <summary>Notes grouped by the heading they were found under, in the order first seen: nothing imported is invisible.</summary>
    private static ScriptArray OtherNotes(Incident incident)
    {
        var groups = new ScriptArray();
        foreach (var byHeading in incident.Notes.GroupBy(n => n.HeadingPath ?? ""))
        {
            var notes = new ScriptArray();
            foreach (var note in byHeading)
            {
                var obj = ScriptValues.Record(note);
                if (note.Markdown)
                {
                    Authored(obj, "text");
                }
                notes.Add(obj);
            }
            groups.Add(new ScriptObject
            {
                ["heading"] = byHeading.Key.Length == 0 ? null : byHeading.Key,
                ["notes"] = notes,
            });
        }
        return groups;
    }

    private static ScriptArray Similar(RenderInput input)
    {
        var list = new ScriptArray();
        foreach (var s in input.Similar)
        {
            list.Add(SimilarObject(s));
        }
        var authored = MarkdownOrigin.Contains(input.Incident, nameof(Incident.SimilarPastIssues));
        foreach (var text in input.Incident.SimilarPastIssues)
        {
            var obj = SimilarObject(new SimilarIssue(null, text, []));
            if (authored)
            {
                Authored(obj, "title");
            }
            list.Add(obj);
        }
        return list;
    }

    private static ScriptObject SimilarObject(SimilarIssue s) => new()
    {
        ["id"] = s.Id,
        ["title"] = s.Title,
        ["shared_terms"] = ScriptValues.Array(s.SharedTerms),
    };

    private static void AddTimeline(ScriptObject model, Incident incident, Dictionary<string, EvidenceView> byKey)
    {
        // OrderBy is stable: entries at the same instant keep the order they were recorded in.
        var entries = incident.Timeline.OrderBy(e => e.At).ToList();
        var timeline = new ScriptArray();
        var referenced = new SortedDictionary<long, EvidenceView>();
        foreach (var entry in entries)
        {
            var obj = ScriptValues.Record(entry);
            if (entry.Markdown)
            {
                Authored(obj, "text");
            }
            var links = new ScriptArray();
            foreach (var key in entry.Evidence)
            {
                var known = byKey.TryGetValue(key, out var target);
                links.Add(new ScriptObject { ["key"] = key, ["anchor"] = MarkdownText.Anchor(key), ["known"] = known });
                if (known)
                {
                    referenced[target!.Number] = target;
                }
            }
            obj["evidence_links"] = links;
            timeline.Add(obj);
        }
        model["timeline"] = timeline;
        model["timeline_evidence"] = ToArray(referenced.Values);

        DateTimeOffset? First(TimelineKind kind) => entries.FirstOrDefault(e => e.Kind == kind)?.At;
        var t = incident.Times;
        var started = t.Started ?? t.FirstReported ?? (entries.Count > 0 ? entries[0].At : null);
        var detected = t.Detected ?? First(TimelineKind.Detection) ?? t.FirstReported;
        var mitigated = t.Mitigated ?? First(TimelineKind.Mitigation);
        var resolved = t.Resolved ?? First(TimelineKind.Resolution);
        model["milestones"] = new ScriptObject
        {
            ["started"] = started,
            ["detected"] = detected,
            ["mitigated"] = mitigated,
            ["resolved"] = resolved,
        };
        model["durations"] = new ScriptObject
        {
            ["time_to_detect"] = Between(started, detected),
            ["time_to_mitigate"] = Between(started, mitigated),
            ["time_to_resolve"] = Between(started, resolved),
        };
    }

    private static void AddHypotheses(ScriptObject model, Incident incident, Dictionary<string, ScriptArray> supports,
        Dictionary<string, ScriptArray> refutes, List<Evidence> evidence, Dictionary<string, EvidenceView> byKey)
    {
        var all = new ScriptArray();
        var objects = new Dictionary<int, ScriptObject>();
        foreach (var h in incident.Hypotheses)
        {
            var obj = ScriptValues.Record(h);
            if (h.Markdown)
            {
                // Templates follow a hypothesis title with more words on the same line.
                Authored(obj, singleLine: true, "title");
                Authored(obj, "description", "why_it_causes_the_bug", "quick_fix_test", "outcome", "supporting_evidence", "evidence_against");
                if (obj["test_method"] is ScriptObject method)
                {
                    Authored(method, "steps", "expected_if_true", "expected_if_false");
                }
            }
            obj["confidence_label"] = ConfidenceLabel(h.Confidence);
            obj["linked_for"] = supports.GetValueOrDefault(h.Key) ?? [];
            obj["linked_against"] = refutes.GetValueOrDefault(h.Key) ?? [];
            objects[h.Number] = obj;
            all.Add(obj);
        }
        model["hypotheses"] = all;
        model["hypotheses_by_confidence"] = ToArray(incident.Hypotheses
            .OrderByDescending(h => h.Confidence ?? -1).ThenBy(h => h.Number).Select(h => objects[h.Number]));
        ScriptArray WithStatus(HypothesisStatus s) => ToArray(incident.Hypotheses.Where(h => h.Status == s).Select(h => objects[h.Number]));
        model["confirmed_hypotheses"] = WithStatus(HypothesisStatus.Confirmed);
        model["open_hypotheses"] = WithStatus(HypothesisStatus.Open);
        model["refuted_hypotheses"] = WithStatus(HypothesisStatus.Refuted);

        var confirmed = incident.Hypotheses.Where(h => h.Status == HypothesisStatus.Confirmed).Select(h => h.Key).ToHashSet();
        model["root_cause_evidence"] = ToArray(evidence
            .Where(e => e.Supports.Any(confirmed.Contains))
            .OrderBy(e => e.Time ?? DateTimeOffset.MaxValue).ThenBy(e => e.Number)
            .Select(e => byKey[e.Key]));
    }

    /// <summary>How deep the task tree is indented in documents; deeper sub-items are shown at this depth.</summary>
    public const int MaxShownDepth = 12;

    private static void AddTasks(ScriptObject model, Incident incident)
    {
        var numbers = incident.Tasks.Select(t => t.Number).ToHashSet();
        var done = incident.Tasks.ToDictionary(t => t.Number, t => t.Done);
        var children = new Dictionary<int, List<FixTask>>();
        var roots = new List<FixTask>();
        foreach (var task in incident.Tasks)
        {
            // A sub-item whose parent is gone is shown at the top level rather than lost.
            if (task.Parent is { } p && numbers.Contains(p) && p != task.Number)
            {
                (children.TryGetValue(p, out var list) ? list : children[p] = []).Add(task);
            }
            else
            {
                roots.Add(task);
            }
        }

        ScriptObject TaskObject(FixTask task, int depth)
        {
            var obj = ScriptValues.Record(task);
            if (task.Markdown)
            {
                // A task line carries its owner, due date and nesting after the title.
                Authored(obj, singleLine: true, "title");
            }
            obj["depth"] = depth;
            // Shown no deeper than MaxShownDepth: Markdown readers (Markdig included) give up on lists
            // nested a few dozen levels deep, and a tree that deep is a mistake worth keeping readable.
            obj["indent"] = new string(' ', Math.Min(depth, MaxShownDepth) * 2);
            obj["priority_label"] = Vocabulary.Label(task.Priority);
            obj["priority_name"] = Vocabulary.PriorityName(task.Priority);
            obj["depends_on_keys"] = ScriptValues.Array(task.DependsOn.Select(d => $"T{d}"));
            obj["blocked"] = task.DependsOn.Any(d => !done.GetValueOrDefault(d));
            obj["has_children"] = children.ContainsKey(task.Number);
            return obj;
        }

        // Depth-first with an explicit stack and a visited set, so a parent cycle cannot loop forever.
        var visited = new HashSet<int>();
        void Flatten(FixTask root, ScriptArray into)
        {
            var stack = new Stack<(FixTask Task, int Depth)>();
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (task, depth) = stack.Pop();
                if (!visited.Add(task.Number))
                {
                    continue;
                }
                into.Add(TaskObject(task, depth));
                if (children.TryGetValue(task.Number, out var kids))
                {
                    for (var i = kids.Count - 1; i >= 0; i--)
                    {
                        stack.Push((kids[i], depth + 1));
                    }
                }
            }
        }

        var groups = new ScriptArray();
        // Tasks nobody gave a priority come after every prioritised group.
        foreach (var byPriority in roots.GroupBy(t => t.Priority).OrderBy(g => g.Key is null).ThenBy(g => g.Key))
        {
            foreach (var byGroup in byPriority.GroupBy(t => t.Group ?? ""))
            {
                var sections = new ScriptArray();
                foreach (var bySection in byGroup.GroupBy(t => t.Section ?? ""))
                {
                    var items = new ScriptArray();
                    foreach (var root in bySection)
                    {
                        Flatten(root, items);
                    }
                    sections.Add(new ScriptObject
                    {
                        ["title"] = bySection.Key.Length == 0 ? null : bySection.Key,
                        ["items"] = items,
                    });
                }
                groups.Add(new ScriptObject
                {
                    ["priority"] = byPriority.Key is { } key ? ScriptValues.Word(key) : null,
                    ["priority_label"] = Vocabulary.Label(byPriority.Key),
                    ["priority_name"] = Vocabulary.PriorityName(byPriority.Key),
                    ["name"] = byGroup.Key.Length == 0 ? null : byGroup.Key,
                    ["sections"] = sections,
                });
            }
        }
        model["task_groups"] = groups;
        model["tasks_total"] = incident.Tasks.Count;
        model["tasks_done"] = incident.Tasks.Count(t => t.Done);

        var topLevel = roots.Select(t => TaskObject(t, 0)).ToList();
        model["action_items"] = ToArray(topLevel);
        var open = new ScriptArray();
        foreach (var g in roots.Where(t => !t.Done).GroupBy(t => t.Priority).OrderBy(g => g.Key is null).ThenBy(g => g.Key))
        {
            open.Add(new ScriptObject
            {
                ["priority_label"] = Vocabulary.Label(g.Key),
                ["priority_name"] = Vocabulary.PriorityName(g.Key),
                ["tasks"] = ToArray(g.Select(t => TaskObject(t, 0))),
            });
        }
        model["open_tasks_by_priority"] = open;
        model["done_tasks"] = ToArray(roots.Where(t => t.Done).Select(t => TaskObject(t, 0)));
    }

    private static void AddStatus(ScriptObject model, Incident incident, List<Evidence> evidence, List<EvidenceView> objects)
    {
        ScriptArray StatesWith(params ComponentHealth[] health) =>
            ScriptValues.Array(incident.CurrentState.Where(s => health.Contains(s.Health)));
        model["healthy_components"] = StatesWith(ComponentHealth.Healthy);
        model["broken_components"] = StatesWith(ComponentHealth.Degraded, ComponentHealth.Down);
        model["unknown_components"] = StatesWith(ComponentHealth.Unknown);

        // The latest probe of each URL; a later check replaces an earlier one, ties go to the later number.
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < evidence.Count; i++)
        {
            var e = evidence[i];
            if (e.Kind != EvidenceKind.EndpointCheck)
            {
                continue;
            }
            var url = EndpointOf(e);
            if (!latest.TryGetValue(url, out var seen) || Later(e, evidence[seen]))
            {
                latest[url] = i;
            }
        }
        var hosts = new ScriptArray();
        foreach (var byHost in latest.Select(p => (Url: p.Key, Index: p.Value))
                     .GroupBy(p => HostOf(p.Url)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var checks = new ScriptArray();
            foreach (var (url, index) in byHost.OrderBy(p => p.Url, StringComparer.Ordinal))
            {
                var e = evidence[index];
                var attrs = e.Attributes;
                checks.Add(new ScriptObject
                {
                    ["url"] = url,
                    ["path"] = PathOf(url),
                    ["status_code"] = attrs.GetValueOrDefault(EvidenceAttributes.StatusCode),
                    ["latency_ms"] = attrs.GetValueOrDefault(EvidenceAttributes.LatencyMs),
                    ["outcome"] = attrs.GetValueOrDefault(EvidenceAttributes.Outcome),
                    ["error"] = attrs.GetValueOrDefault(EvidenceAttributes.Error),
                    ["time"] = e.Time,
                    ["evidence"] = objects[index],
                });
            }
            hosts.Add(new ScriptObject { ["host"] = byHost.Key, ["checks"] = checks });
        }
        model["endpoint_hosts"] = hosts;

        model["recent_logs"] = ToArray(Enumerable.Range(0, evidence.Count)
            .Where(i => evidence[i].Kind == EvidenceKind.LogExcerpt)
            .OrderByDescending(i => evidence[i].Time ?? DateTimeOffset.MinValue).ThenByDescending(i => evidence[i].Number)
            .Take(RecentLogCount)
            .OrderBy(i => evidence[i].Time ?? DateTimeOffset.MinValue).ThenBy(i => evidence[i].Number)
            .Select(i => objects[i]));
    }

    private static bool Later(Evidence a, Evidence b) =>
        (a.Time ?? DateTimeOffset.MinValue, a.Number).CompareTo((b.Time ?? DateTimeOffset.MinValue, b.Number)) > 0;

    private static string EndpointOf(Evidence e) =>
        e.Attributes.GetValueOrDefault(EvidenceAttributes.Url) ?? e.Source ?? e.Title ?? e.Key;

    private static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Host.Length > 0 ? u.Host : "other";

    private static string PathOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Host.Length > 0 ? u.PathAndQuery : url;

    /// <summary>"High (85%)", the form the seeds use; "Unrated" when no figure was given.</summary>
    public static string ConfidenceLabel(int? percent) => percent is { } p
        ? $"{Confidences.LevelOf(p)} ({p}%)"
        : "Unrated";

    private static TimeSpan? Between(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } a && to is { } b && b >= a ? b - a : null;

    private static ScriptArray Bucket(Dictionary<string, ScriptArray> index, string key) =>
        index.TryGetValue(key, out var list) ? list : index[key] = [];

    private static ScriptArray ToArray<T>(IEnumerable<T> items)
    {
        var array = new ScriptArray();
        foreach (var item in items)
        {
            array.Add(item);
        }
        return array;
    }
}
