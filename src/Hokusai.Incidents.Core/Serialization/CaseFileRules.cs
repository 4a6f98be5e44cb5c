namespace Hokusai.Incidents.Serialization;

/// <summary>
/// What a case file must hold to be imported: numbers that are unique and positive, percentages in
/// range, links to items that exist and a task tree without cycles. A file that breaks them is
/// refused whole, before anything is written.
/// </summary>
public static class CaseFileRules
{
    /// <summary>The first problem found, as a phrase for a one-line error, or null.</summary>
    public static string? Problem(CaseFile file)
    {
        var incident = file.Incident;
        if (incident.Id.Length > Storage.Slug.MaxLength)
        {
            return $"the incident id is {incident.Id.Length} characters long; ids are at most {Storage.Slug.MaxLength}";
        }
        if (string.IsNullOrWhiteSpace(incident.Title))
        {
            return "the incident has no title";
        }
        if (Duplicate(incident.Hypotheses.Select(h => h.Number)) is { } h)
        {
            return h < 1 ? $"hypothesis number {h} is not valid (numbers start at 1)" : $"hypothesis H{h} appears more than once";
        }
        if (incident.Hypotheses.FirstOrDefault(x => x.Confidence is < 0 or > 100) is { } bad)
        {
            return $"hypothesis H{bad.Number} has confidence {bad.Confidence}; use a percent from 0 to 100";
        }
        if (Duplicate(incident.Tasks.Select(t => t.Number)) is { } t)
        {
            return t < 1 ? $"task number {t} is not valid (numbers start at 1)" : $"task T{t} appears more than once";
        }
        var tasks = incident.Tasks.ToDictionary(x => x.Number);
        foreach (var task in incident.Tasks)
        {
            if (task.Parent is { } p && !tasks.ContainsKey(p))
            {
                return $"task T{task.Number} has parent T{p}, which is not in the case file";
            }
            if (task.DependsOn.Where(d => !tasks.ContainsKey(d) || d == task.Number).Select(d => (int?)d).FirstOrDefault() is { } d)
            {
                return $"task T{task.Number} depends on T{d}, which is {(d == task.Number ? "itself" : "not in the case file")}";
            }
            // Walk up at most as many steps as there are tasks: more means a cycle.
            var seen = 0;
            for (var up = task.Parent; up is { } u; up = tasks[u].Parent)
            {
                if (u == task.Number || ++seen > tasks.Count)
                {
                    return $"task T{task.Number} is its own ancestor (parent cycle)";
                }
            }
        }
        if (Duplicate(file.Evidence.Select(e => (int)Math.Min(int.MaxValue, e.Number))) is { } e)
        {
            return e < 1 ? $"evidence number {e} is not valid (numbers start at 1)" : $"evidence E{e} appears more than once";
        }
        return null;
    }

    /// <summary>A number below 1 or one seen twice.</summary>
    private static int? Duplicate(IEnumerable<int> numbers)
    {
        var seen = new HashSet<int>();
        foreach (var n in numbers)
        {
            if (n < 1 || !seen.Add(n))
            {
                return n;
            }
        }
        return null;
    }
}
