using Hokusai.Incidents.Import.Syntax;

namespace Hokusai.Incidents.Import;

/// <summary>What a merge added; all zero means the document was already there.</summary>
public sealed record MergeCounts
{
    public int TasksFound { get; init; }
    public int TasksAdded { get; init; }
    public int HypothesesFound { get; init; }
    public int HypothesesAdded { get; init; }
    public int HypothesesUpdated { get; init; }
    public int ChecklistItemsFound { get; init; }
    public int ChecklistItemsAdded { get; init; }
    public int NotesFound { get; init; }
    public int NotesAdded { get; init; }
    public int FieldsChanged { get; init; }
    /// <summary>Values that differed from what the incident already said; kept as notes.</summary>
    public int FieldConflicts { get; init; }

    public bool NothingAdded => TasksAdded + HypothesesAdded + HypothesesUpdated + ChecklistItemsAdded + NotesAdded + FieldsChanged == 0;
}

/// <summary>
/// Merges one imported document into an incident, as a pure function. Idempotent: tasks match by
/// group, section and parent titles; hypotheses by number; notes by heading and text; list fields by
/// their text. A scalar the incident already has with another value is kept as a note, not overwritten.
/// </summary>
public static class IncidentMerge
{
    public static (Incident Incident, MergeCounts Counts) Merge(Incident target, ImportedDocument doc)
    {
        var src = doc.Incident;
        var conflicts = new List<Note>();
        var fieldsChanged = 0;

        string? Scalar(string label, string? existing, string? incoming)
        {
            if (string.IsNullOrWhiteSpace(incoming) || Same(existing, incoming))
            {
                return existing;
            }
            if (string.IsNullOrWhiteSpace(existing))
            {
                fieldsChanged++;
                return incoming;
            }
            conflicts.Add(new Note { Text = incoming, HeadingPath = $"{label} (as {Path.GetFileName(doc.FileName)} puts it)", Source = doc.FileName, Markdown = src.MarkdownFields is not null });
            return existing;
        }

        IReadOnlyList<string> Union(IReadOnlyList<string> existing, IReadOnlyList<string> incoming)
        {
            var known = existing.Select(Norm).ToHashSet(StringComparer.Ordinal);
            var added = incoming.Where(s => known.Add(Norm(s))).ToList();
            fieldsChanged += added.Count;
            return added.Count == 0 ? existing : [.. existing, .. added];
        }

        IReadOnlyList<LabeledList> Labeled(IReadOnlyList<LabeledList> existing, IReadOnlyList<LabeledList> incoming)
        {
            var result = existing.ToList();
            foreach (var list in incoming)
            {
                var at = result.FindIndex(l => Same(l.Label, list.Label));
                if (at < 0)
                {
                    result.Add(list);
                    fieldsChanged++;
                }
                else
                {
                    result[at] = result[at] with { Items = Union(result[at].Items, list.Items) };
                }
            }
            return result;
        }

        DateTimeOffset? Time(string label, DateTimeOffset? existing, DateTimeOffset? incoming)
        {
            if (incoming is null || existing == incoming)
            {
                return existing;
            }
            if (existing is null)
            {
                fieldsChanged++;
                return incoming;
            }
            conflicts.Add(new Note { Text = TimeText(incoming.Value), HeadingPath = $"{label} (as {Path.GetFileName(doc.FileName)} puts it)", Source = doc.FileName });
            return existing;
        }

        var merged = target with
        {
            Summary = Scalar("Summary", target.Summary, src.Summary),
            BusinessImpact = Scalar("Business impact", target.BusinessImpact, src.BusinessImpact),
            AffectedUsers = Scalar("Affected users", target.AffectedUsers, src.AffectedUsers),
            Environment = Scalar("Environment", target.Environment, src.Environment),
            Components = new AffectedComponents
            {
                Services = Union(target.Components.Services, src.Components.Services),
                Infrastructure = Union(target.Components.Infrastructure, src.Components.Infrastructure),
                Databases = Union(target.Components.Databases, src.Components.Databases),
                Endpoints = Union(target.Components.Endpoints, src.Components.Endpoints),
            },
            Reproduction = new Reproduction
            {
                EnvironmentRequired = Union(target.Reproduction.EnvironmentRequired, src.Reproduction.EnvironmentRequired),
                Steps = Union(target.Reproduction.Steps, src.Reproduction.Steps),
                SuccessRate = Scalar("Reproduction success rate", target.Reproduction.SuccessRate, src.Reproduction.SuccessRate),
                Variations = Scalar("Reproduction variations", target.Reproduction.Variations, src.Reproduction.Variations),
            },
            ErrorMessages = Union(target.ErrorMessages, src.ErrorMessages),
            RecentChanges = Union(target.RecentChanges, src.RecentChanges),
            SimilarPastIssues = Union(target.SimilarPastIssues, src.SimilarPastIssues),
            Investigation = new InvestigationPlan
            {
                DataToAnalyse = Labeled(target.Investigation.DataToAnalyse, src.Investigation.DataToAnalyse),
                PriorityOrder = Union(target.Investigation.PriorityOrder, src.Investigation.PriorityOrder),
                KeyQuestions = Union(target.Investigation.KeyQuestions, src.Investigation.KeyQuestions),
                Goals = Union(target.Investigation.Goals, src.Investigation.Goals),
            },
            RiskAssessment = Labeled(target.RiskAssessment, src.RiskAssessment),
            Tags = Union(target.Tags, src.Tags),
            Times = new IncidentTimes
            {
                Started = Time("Started", target.Times.Started, src.Times.Started),
                Detected = Time("Detected", target.Times.Detected, src.Times.Detected),
                Mitigated = Time("Mitigated", target.Times.Mitigated, src.Times.Mitigated),
                Resolved = Time("Resolved", target.Times.Resolved, src.Times.Resolved),
                FirstReported = Time("First reported", target.Times.FirstReported, src.Times.FirstReported),
                LastConfirmed = Time("Last confirmed", target.Times.LastConfirmed, src.Times.LastConfirmed),
            },
            FailurePattern = Scalar("Failure pattern", target.FailurePattern, src.FailurePattern),
            Correlation = Scalar("Correlation", target.Correlation, src.Correlation),
            PreviousFixAttempts = Union(target.PreviousFixAttempts, src.PreviousFixAttempts),
            RootCause = Scalar("Root cause", target.RootCause, src.RootCause),
            Trigger = Scalar("Trigger", target.Trigger, src.Trigger),
            TechnicalExplanation = Scalar("Technical explanation", target.TechnicalExplanation, src.TechnicalExplanation),
            Solution = Scalar("Solution", target.Solution, src.Solution),
            DirectImpact = Union(target.DirectImpact, src.DirectImpact),
            CascadeEffects = Union(target.CascadeEffects, src.CascadeEffects),
            ContributingFactors = Union(target.ContributingFactors, src.ContributingFactors),
            WentWell = Union(target.WentWell, src.WentWell),
            WentWrong = Union(target.WentWrong, src.WentWrong),
            GotLucky = Union(target.GotLucky, src.GotLucky),
            Lessons = Union(target.Lessons, src.Lessons),
            TaskSequence = Union(target.TaskSequence, src.TaskSequence),
        };

        if (doc.Severity is { } severity && severity != merged.Severity)
        {
            conflicts.Add(new Note { Text = Vocabulary.Label(severity), HeadingPath = $"Severity (as {Path.GetFileName(doc.FileName)} puts it)", Source = doc.FileName });
        }
        if (doc.Status is { } status && status != merged.Status)
        {
            conflicts.Add(new Note { Text = Vocabulary.Word(status), HeadingPath = $"Status (as {Path.GetFileName(doc.FileName)} puts it)", Source = doc.FileName });
        }

        var code = merged.RelatedCode.ToList();
        foreach (var r in src.RelatedCode.Where(r => !code.Any(c => c.File == r.File && c.Line == r.Line)))
        {
            code.Add(r);
            fieldsChanged++;
        }
        var states = merged.CurrentState.ToList();
        foreach (var s in src.CurrentState)
        {
            // A later report knows better how a component stands now.
            var at = states.FindIndex(x => Same(x.Component, s.Component));
            if (at < 0 || states[at] != s)
            {
                fieldsChanged++;
                if (at < 0)
                {
                    states.Add(s);
                }
                else
                {
                    states[at] = s;
                }
            }
        }
        var timeline = merged.Timeline.ToList();
        foreach (var e in src.Timeline.Where(e => !timeline.Any(t => t.At == e.At && Same(t.Text, e.Text))))
        {
            timeline.Add(e);
            fieldsChanged++;
        }
        merged = merged with { RelatedCode = code, CurrentState = states, Timeline = [.. timeline.OrderBy(t => t.At)] };

        var (tasks, tasksAdded, tasksUpdated) = MergeTasks(merged.Tasks, src.Tasks);
        var (hypotheses, hAdded, hUpdated) = MergeHypotheses(merged.Hypotheses, src.Hypotheses);
        var (rollback, rbAdded) = MergeChecklist(merged.RollbackPlan, src.RollbackPlan);
        var (success, scAdded) = MergeChecklist(merged.SuccessCriteria, src.SuccessCriteria);
        var notes = merged.Notes.ToList();
        var notesAdded = 0;
        var noteKeys = notes.Select(NoteKey).ToHashSet(StringComparer.Ordinal);
        foreach (var n in src.Notes.Concat(conflicts))
        {
            if (noteKeys.Add(NoteKey(n)))
            {
                notes.Add(n);
                notesAdded++;
            }
        }
        merged = merged with { Tasks = tasks, Hypotheses = hypotheses, RollbackPlan = rollback, SuccessCriteria = success, Notes = notes };
        merged = merged with { MarkdownFields = MarkdownOrigin.After(target, merged, src) };
        var counts = new MergeCounts
        {
            TasksFound = src.Tasks.Count,
            TasksAdded = tasksAdded,
            HypothesesFound = src.Hypotheses.Count,
            HypothesesAdded = hAdded,
            HypothesesUpdated = hUpdated,
            ChecklistItemsFound = src.RollbackPlan.Count + src.SuccessCriteria.Count,
            ChecklistItemsAdded = rbAdded + scAdded,
            NotesFound = src.Notes.Count,
            NotesAdded = notesAdded,
            FieldsChanged = fieldsChanged + tasksUpdated,
            FieldConflicts = conflicts.Count,
        };
        return (merged, counts);
    }

    private static (IReadOnlyList<FixTask> Tasks, int Added, int Updated) MergeTasks(IReadOnlyList<FixTask> existing, IReadOnlyList<FixTask> incoming)
    {
        var result = existing.ToList();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var existingByNumber = Index(existing);
        foreach (var t in existing)
        {
            byKey.TryAdd(TaskKey(t, existingByNumber), t.Number);
        }
        var incomingByNumber = Index(incoming);
        var next = existing.Count == 0 ? 1 : existing.Max(t => t.Number) + 1;
        var map = new Dictionary<int, int>();
        int added = 0, updated = 0;
        foreach (var t in incoming)
        {
            var key = TaskKey(t, incomingByNumber);
            if (byKey.TryGetValue(key, out var number))
            {
                map[t.Number] = number;
                var at = result.FindIndex(x => x.Number == number);
                if (t.Done && !result[at].Done)
                {
                    result[at] = result[at] with { Done = true };
                    updated++;
                }
                continue;
            }
            var parent = t.Parent is { } p && map.TryGetValue(p, out var mapped) ? mapped : (int?)null;
            var task = t with { Number = next++, Parent = parent };
            map[t.Number] = task.Number;
            byKey[key] = task.Number;
            result.Add(task);
            added++;
        }
        // Dependencies may point forward, so they are mapped once every task has its number.
        var firstAdded = result.Count - added;
        for (var i = firstAdded; i < result.Count; i++)
        {
            var deps = result[i].DependsOn;
            if (deps.Count > 0)
            {
                result[i] = result[i] with { DependsOn = [.. deps.Where(map.ContainsKey).Select(d => map[d])] };
            }
        }
        return (result, added, updated);
    }

    /// <summary>Group, section and the titles from the top-level task down: how a person would point at a task.</summary>
    public static string TaskKey(FixTask task, IReadOnlyDictionary<int, FixTask> byNumber)
    {
        var titles = new List<string>();
        var seen = new HashSet<int>();
        for (FixTask? t = task; t is not null && seen.Add(t.Number); t = t.Parent is { } p ? byNumber.GetValueOrDefault(p) : null)
        {
            titles.Insert(0, Norm(t.Title));
        }
        return $"{Norm(task.Group)}|{Norm(task.Section)}|{string.Join('/', titles)}";
    }

    private static Dictionary<int, FixTask> Index(IReadOnlyList<FixTask> tasks)
    {
        var index = new Dictionary<int, FixTask>();
        foreach (var t in tasks)
        {
            index.TryAdd(t.Number, t);
        }
        return index;
    }

    private static (IReadOnlyList<Hypothesis>, int Added, int Updated) MergeHypotheses(IReadOnlyList<Hypothesis> existing, IReadOnlyList<Hypothesis> incoming)
    {
        var result = existing.ToList();
        int added = 0, updated = 0;
        var next = existing.Count == 0 ? 1 : existing.Max(h => h.Number) + 1;
        var byWords = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < result.Count; n++)
        {
            byWords.TryAdd(Norm(result[n].Title), n);
        }
        // Near-matches cost a comparison per pair; real documents hold a handful of hypotheses, not thousands.
        // Only what the incident held before is compared: one document's own hypotheses are distinct by its numbering.
        var fuzzy = (long)existing.Count * incoming.Count <= 10_000;
        foreach (var h in incoming)
        {
            // Two documents number their hypotheses independently: H2 of one may be H4 of the other.
            // A hypothesis is the same one when it says the same thing; a bare number only matches
            // when one side gives no wording of its own.
            var at = byWords.TryGetValue(Norm(h.Title), out var exact) ? exact : fuzzy ? result.FindIndex(0, existing.Count, x => SameClaim(x.Title, h.Title)) : -1;
            if (at < 0)
            {
                at = result.FindIndex(x => x.Number == h.Number);
                if (at >= 0 && !Untitled(result[at]) && !Untitled(h))
                {
                    at = -1;
                }
            }
            if (at < 0)
            {
                var number = result.Any(x => x.Number == h.Number) ? next : h.Number;
                result.Add(h with { Number = number });
                next = Math.Max(next, number + 1);
                added++;
                continue;
            }
            var e = result[at];
            var m = e with
            {
                Confidence = e.Confidence ?? h.Confidence,
                Complexity = e.Complexity ?? h.Complexity,
                Impact = e.Impact ?? h.Impact,
                Category = e.Category ?? h.Category,
                Description = e.Description ?? h.Description,
                SupportingEvidence = UnionQuiet(e.SupportingEvidence, h.SupportingEvidence),
                EvidenceAgainst = UnionQuiet(e.EvidenceAgainst, h.EvidenceAgainst),
                WhyItCausesTheBug = e.WhyItCausesTheBug ?? h.WhyItCausesTheBug,
                TestMethod = new TestMethod
                {
                    Steps = UnionQuiet(e.TestMethod.Steps, h.TestMethod.Steps),
                    ExpectedIfTrue = e.TestMethod.ExpectedIfTrue ?? h.TestMethod.ExpectedIfTrue,
                    ExpectedIfFalse = e.TestMethod.ExpectedIfFalse ?? h.TestMethod.ExpectedIfFalse,
                },
                Commands = [.. e.Commands, .. h.Commands.Where(c => !e.Commands.Any(x => x.Code == c.Code))],
                QuickFixTest = e.QuickFixTest ?? h.QuickFixTest,
                Status = e.Status == HypothesisStatus.Open ? h.Status : e.Status,
                Outcome = e.Outcome ?? h.Outcome,
                History = [.. e.History, .. h.History.Where(c => !e.History.Any(x => x.At == c.At && x.To == c.To))],
            };
            if (Serialization.IncidentJson.Serialize(m) != Serialization.IncidentJson.Serialize(e))
            {
                result[at] = m;
                updated++;
            }
        }
        return ([.. result.OrderBy(h => h.Number)], added, updated);
    }

    private static (IReadOnlyList<ChecklistItem>, int Added) MergeChecklist(IReadOnlyList<ChecklistItem> existing, IReadOnlyList<ChecklistItem> incoming)
    {
        var result = existing.ToList();
        var added = 0;
        foreach (var item in incoming)
        {
            var at = result.FindIndex(x => Same(x.Text, item.Text));
            if (at < 0)
            {
                result.Add(item);
                added++;
            }
            else if (item.Done && !result[at].Done)
            {
                result[at] = result[at] with { Done = true };
            }
        }
        return (result, added);
    }

    private static bool Untitled(Hypothesis h) => Norm(h.Title) == $"hypothesis {h.Number}";

    /// <summary>The same words, or nearly (one says "the", the other does not).</summary>
    private static bool SameClaim(string a, string b)
    {
        var na = Norm(a);
        var nb = Norm(b);
        if (na == nb)
        {
            return true;
        }
        var wa = na.Split(' ').ToHashSet(StringComparer.Ordinal);
        var wb = nb.Split(' ').ToHashSet(StringComparer.Ordinal);
        var shared = wa.Count(wb.Contains);
        return wa.Count + wb.Count > 0 && shared >= 3 && (double)shared / (wa.Count + wb.Count - shared) >= 0.8;
    }

    private static string NoteKey(Note n) => n.HeadingPath + "\u0000" + n.Text;

    private static IReadOnlyList<string> UnionQuiet(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        [.. a, .. b.Where(s => !a.Any(x => Same(x, s)))];

    private static bool Same(string? a, string? b) => Norm(a) == Norm(b);

    private static string Norm(string? text) =>
        string.Join(' ', InlineText.Plain(text ?? "").ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string TimeText(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
