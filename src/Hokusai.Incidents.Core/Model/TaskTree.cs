namespace Hokusai.Incidents;

/// <summary>
/// The fix checklist as a tree, built one way for every view (CLI, documents, site, copies): a task whose
/// parent is missing, or is itself, stands at the top rather than being lost; a parent cycle or a
/// duplicated number (an old or hand-made file) cannot make a walk loop.
/// </summary>
public sealed class TaskTree
{
    private readonly ILookup<int?, FixTask> _byParent;

    private TaskTree(Incident incident)
    {
        var numbers = incident.Tasks.Select(t => t.Number).ToHashSet();
        _byParent = incident.Tasks.ToLookup(t => t.Parent is { } p && numbers.Contains(p) && p != t.Number ? p : (int?)null);
        Roots = [.. _byParent[null]];
    }

    public static TaskTree Build(Incident incident) => new(incident);

    /// <summary>Every task of the incident in tree order with its depth.</summary>
    public static IEnumerable<(FixTask Task, int Depth)> Of(Incident incident)
    {
        var tree = Build(incident);
        return tree.Walk(tree.Roots);
    }

    /// <summary>Top-level tasks, in list order: those without a parent and those whose parent is missing.</summary>
    public IReadOnlyList<FixTask> Roots { get; }

    /// <summary>Sub-items in list order.</summary>
    public IEnumerable<FixTask> ChildrenOf(FixTask task) => _byParent[task.Number];

    public bool HasChildren(FixTask task) => _byParent.Contains(task.Number);

    /// <summary>
    /// Depth-first from <paramref name="roots"/>, parents before children. Pass the same
    /// <paramref name="visited"/> to several walks so no task shows twice across them.
    /// </summary>
    public IEnumerable<(FixTask Task, int Depth)> Walk(IEnumerable<FixTask> roots, HashSet<FixTask>? visited = null)
    {
        visited ??= new HashSet<FixTask>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(FixTask Task, int Depth)>();
        foreach (var root in roots.Reverse())
        {
            stack.Push((root, 0));
        }
        while (stack.Count > 0)
        {
            var (task, depth) = stack.Pop();
            if (!visited.Add(task))
            {
                continue;
            }
            yield return (task, depth);
            foreach (var child in _byParent[task.Number].Reverse())
            {
                if (!visited.Contains(child))
                {
                    stack.Push((child, depth + 1));
                }
            }
        }
    }
}
