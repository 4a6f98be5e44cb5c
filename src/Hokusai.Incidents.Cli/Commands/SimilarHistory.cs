using Hokusai.Incidents.Analysis;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>A similar incident as <c>similar --json</c> prints it: the search match and what that incident learned.</summary>
public sealed record SimilarWithHistory(string Id, string Title, double Score, IReadOnlyList<string> SharedTerms, SeenBeforeSummary? SeenBefore);

/// <summary>Prints what each similar past incident learned, under the <c>similar</c> table.</summary>
internal static class SimilarHistory
{
    /// <summary>Sub-items beyond this many of a checklist are counted, not listed.</summary>
    private const int ChecklistLines = 15;

    public static void Print(CliInvocation inv, string incidentId, IReadOnlyList<SeenBeforeSummary?> seen)
    {
        foreach (var s in seen.OfType<SeenBeforeSummary>())
        {
            inv.Out.Line();
            inv.Out.Line($"{s.Id}: {s.Title}");
            inv.Out.Line($"  Root cause: {s.RootCause ?? "not recorded"}");
            foreach (var r in s.Refuted)
            {
                inv.Out.Line($"  Ruled out: {r}");
            }
            if (s.Checklist.Count > 0)
            {
                inv.Out.Line($"  Fix checklist ({s.Checklist.Count} items):");
                foreach (var c in s.Checklist.Take(ChecklistLines))
                {
                    inv.Out.Line($"    {new string(' ', c.Depth * 2)}{c.Task} {c.Priority} {c.Title}");
                }
                if (s.Checklist.Count > ChecklistLines)
                {
                    inv.Out.Line($"    … and {s.Checklist.Count - ChecklistLines} more");
                }
            }
            inv.Out.Line($"  Bring it over: {s.CopyHint(incidentId)}");
        }
    }
}
