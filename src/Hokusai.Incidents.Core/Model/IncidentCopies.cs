namespace Hokusai.Incidents;

/// <summary>
/// Bringing work over from a past incident: its fix checklist and its hypotheses, renumbered into this
/// one with their shape kept and their outcome there left behind (each copy records where it came from).
/// </summary>
public static class IncidentCopies
{
    /// <summary>
    /// Copies tasks (all when <paramref name="numbers"/> is empty) with every sub-item below them: nesting,
    /// priorities, groups, sections and dependencies among the copied tasks are kept; done state, owner and
    /// due date were the other incident's and are cleared.
    /// </summary>
    public static Incident CopyTasks(this Incident target, Incident source, IReadOnlyCollection<int> numbers)
    {
        foreach (var n in numbers)
        {
            source.GetTask(n);
        }
        var chosen = numbers.Count == 0 ? source.Tasks.Select(t => t.Number).ToHashSet() : WithDescendants(source, numbers);
        var next = target.Tasks.Select(t => t.Number).DefaultIfEmpty(0).Max() + 1;
        var renumber = new Dictionary<int, int>();
        foreach (var t in source.Tasks.Where(t => chosen.Contains(t.Number)))
        {
            renumber[t.Number] = next++;
        }
        var copies = source.Tasks.Where(t => chosen.Contains(t.Number)).Select(t => t with
        {
            Number = renumber[t.Number],
            Parent = t.Parent is { } p && renumber.TryGetValue(p, out var np) ? np : null,
            DependsOn = [.. t.DependsOn.Where(renumber.ContainsKey).Select(d => renumber[d])],
            Done = false,
            DoneAt = null,
            Owner = null,
            Due = null,
            CopiedFrom = $"{source.Id} {t.Key}",
        });
        return target with { Tasks = [.. target.Tasks, .. copies] };
    }

    /// <summary>
    /// Copies hypotheses as open ones to test here: title, confidence, category, description, test method,
    /// commands and quick fix kept; status, outcome, history and the other incident's evidence notes left behind.
    /// </summary>
    public static Incident CopyHypotheses(this Incident target, Incident source, IReadOnlyCollection<int> numbers)
    {
        if (numbers.Count == 0)
        {
            throw new InvalidInputException("no hypothesis to copy: name them, e.g. H2 H3");
        }
        var result = target;
        foreach (var n in numbers.Distinct())
        {
            var h = source.GetHypothesis(n);
            result = result.AddHypothesis(h with
            {
                Number = 0,
                Status = HypothesisStatus.Open,
                Outcome = null,
                History = [],
                SupportingEvidence = [],
                EvidenceAgainst = [],
                CopiedFrom = h.Status == HypothesisStatus.Open ? $"{source.Id} {h.Key}" : $"{source.Id} {h.Key} ({Vocabulary.Word(h.Status)}{(h.Outcome is { } o ? ": " + o : "")})",
            });
        }
        return result;
    }

    private static HashSet<int> WithDescendants(Incident incident, IEnumerable<int> roots)
    {
        var chosen = new HashSet<int>();
        var queue = new Queue<int>(roots);
        while (queue.Count > 0)
        {
            var n = queue.Dequeue();
            if (chosen.Add(n))
            {
                foreach (var child in incident.ChildrenOf(n))
                {
                    queue.Enqueue(child.Number);
                }
            }
        }
        return chosen;
    }
}
