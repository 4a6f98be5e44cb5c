using Scriban.Runtime;

namespace Hokusai.Incidents.Rendering;

/// <summary>A past incident like this one, for the investigation's "Similar past issues" section.</summary>
/// <param name="Id">The past incident's id, or null for a free-text note recorded on the incident.</param>
/// <param name="Title">Its title, or the note's text.</param>
/// <param name="SharedTerms">The terms the search matched on, if any.</param>
public sealed record SimilarIssue(string? Id, string Title, IReadOnlyList<string> SharedTerms)
{
    /// <summary>What the past incident learned (root cause, ruled out, fix checklist), when it is in the store.</summary>
    public Analysis.SeenBeforeSummary? SeenBefore { get; init; }
}

/// <summary>Everything a template can see: the incident, its evidence (kept apart in the store) and similar issues.</summary>
public sealed record RenderInput
{
    public required Incident Incident { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
    /// <summary>Issues a search found; the incident's own recorded similar issues are always listed after them.</summary>
    public IReadOnlyList<SimilarIssue> Similar { get; init; } = [];

    /// <summary>
    /// The "Evidence to look at" suggestions, when the caller has worked them out already (on another core,
    /// while it looked up similar incidents): <see cref="Analysis.HypothesisEvidence.ForOpenHypotheses"/> of
    /// the incident and <see cref="Evidence"/> in number order. Null: worked out while the model is built.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Analysis.EvidenceMatch>>? Suggestions { get; init; }
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
        // The "Evidence to look at" suggestions read every evidence line for every open hypothesis, the
        // largest single cost of a render: they are worked out on another core while the rest is built.
        var suggestions = input.Suggestions is { } given
            ? Task.FromResult(given)
            : Task.Run(() => Analysis.HypothesisEvidence.ForOpenHypotheses(incident, evidence));
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
        var hypotheses = AddHypotheses(model, incident, supports, refutes, evidence, byKey);
        AddTasks(model, incident);
        AddStatus(model, incident, evidence, evidenceObjects);
        AddSuggestions(hypotheses, suggestions.GetAwaiter().GetResult());
        MakeReadOnly(model);
        return model;
    }

    /// <summary>
    /// Templates read the incident and never change it: a document depends on its template and the
    /// incident alone whatever was rendered before it, and documents can be rendered side by side.
    /// Assigning to a member of the model is an error naming the template position.
    /// </summary>
    private static void MakeReadOnly(ScriptObject model)
    {
        // Objects reached twice (a hypothesis is in several lists) are already read-only the second time.
        var pending = new Stack<object>();
        pending.Push(model);
        while (pending.TryPop(out var value))
        {
            if (value is ScriptObject { IsReadOnly: false } obj)
            {
                obj.IsReadOnly = true;
                foreach (var member in (IEnumerable<KeyValuePair<string, object?>>)obj)
                {
                    if (member.Value is ScriptObject or ScriptArray)
                    {
                        pending.Push(member.Value);
                    }
                }
            }
            else if (value is ScriptArray { IsReadOnly: false } array)
            {
                array.IsReadOnly = true;
                foreach (var item in array)
                {
                    if (item is ScriptObject or ScriptArray)
                    {
                        pending.Push(item);
                    }
                }
            }
        }
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
        ["root_cause"] = s.SeenBefore?.RootCause,
        ["refuted"] = ScriptValues.Array(s.SeenBefore?.Refuted ?? []),
        ["checklist"] = ScriptValues.Array((s.SeenBefore?.Checklist ?? []).Select(c => new ScriptObject
        {
            ["task"] = c.Task,
            ["indent"] = new string(' ', Math.Min(c.Depth, MaxShownDepth) * 2),
            ["priority"] = c.Priority,
            ["title"] = c.Title,
        })),
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

    /// <summary>The strongest unlinked evidence of each open hypothesis, as `show` lists it: "E3 supports (0/1, …)".</summary>
    private static void AddSuggestions(IEnumerable<(string Key, ScriptObject Hypothesis)> hypotheses,
        IReadOnlyDictionary<string, IReadOnlyList<Analysis.EvidenceMatch>> suggested)
    {
        foreach (var (key, obj) in hypotheses)
        {
            if (suggested.TryGetValue(key, out var matches))
            {
                obj["suggested_evidence"] = string.Join("; ", matches.Select(m => $"{m.Evidence} {Vocabulary.Word(m.Bearing)} ({string.Join(", ", m.Words.Take(4))})"));
            }
        }
    }

    private static List<(string Key, ScriptObject Hypothesis)> AddHypotheses(ScriptObject model, Incident incident, Dictionary<string, ScriptArray> supports,
        Dictionary<string, ScriptArray> refutes, List<Evidence> evidence, Dictionary<string, EvidenceView> byKey)
    {
        var all = new ScriptArray();
        var objects = new Dictionary<int, ScriptObject>();
        var byKeyObjects = new List<(string Key, ScriptObject Hypothesis)>();
        foreach (var h in incident.Hypotheses)
        {
            var obj = ScriptValues.Record(h);
            // Filled in by AddSuggestions; set here so the member keeps its place among the others.
            obj["suggested_evidence"] = "";
            byKeyObjects.Add((h.Key, obj));
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
        model["hypotheses_by_confidence"] = ToArray(Confidences.Ranked(incident.Hypotheses).Select(h => objects[h.Number]));
        ScriptArray WithStatus(HypothesisStatus s) => ToArray(incident.Hypotheses.Where(h => h.Status == s).Select(h => objects[h.Number]));
        model["confirmed_hypotheses"] = WithStatus(HypothesisStatus.Confirmed);
        model["open_hypotheses"] = WithStatus(HypothesisStatus.Open);
        model["refuted_hypotheses"] = WithStatus(HypothesisStatus.Refuted);

        var confirmed = incident.Hypotheses.Where(h => h.Status == HypothesisStatus.Confirmed).Select(h => h.Key).ToHashSet();
        model["root_cause_evidence"] = ToArray(evidence
            .Where(e => e.Supports.Any(confirmed.Contains))
            .OrderBy(e => e.Time ?? DateTimeOffset.MaxValue).ThenBy(e => e.Number)
            .Select(e => byKey[e.Key]));
        return byKeyObjects;
    }

    /// <summary>How deep the task tree is indented in documents; deeper sub-items are shown at this depth.</summary>
    public const int MaxShownDepth = 12;

    private static void AddTasks(ScriptObject model, Incident incident)
    {
        var done = incident.Tasks.ToDictionary(t => t.Number, t => t.Done);
        var tree = TaskTree.Build(incident);
        var roots = tree.Roots;

        // A top-level task shows the same at depth 0 in the tree, the action items and the open or done
        // lists: one object serves all of them.
        var topLevelObjects = new Dictionary<FixTask, ScriptObject>(ReferenceEqualityComparer.Instance);
        ScriptObject TaskObject(FixTask task, int depth)
        {
            if (depth == 0 && topLevelObjects.TryGetValue(task, out var shown))
            {
                return shown;
            }
            var obj = ScriptValues.Record(task);
            if (depth == 0)
            {
                topLevelObjects[task] = obj;
            }
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
            obj["has_children"] = tree.HasChildren(task);
            return obj;
        }

        // One visited set over every group, so no task shows twice (see TaskTree).
        var visited = new HashSet<FixTask>(ReferenceEqualityComparer.Instance);
        void Flatten(FixTask root, ScriptArray into)
        {
            foreach (var (task, depth) in tree.Walk([root], visited))
            {
                into.Add(TaskObject(task, depth));
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
                    // Made here rather than with Scriban's string module, which costs a fresh process more to
                    // set up (reflection over its methods) than rendering all six documents does.
                    ["heading"] = byPriority.Key is { } p ? $"Priority {(int)p}: {Vocabulary.PriorityName(p).ToUpperInvariant()}" : "No Priority Set",
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
    public static string ConfidenceLabel(int? percent) => Confidences.Label(percent);

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
