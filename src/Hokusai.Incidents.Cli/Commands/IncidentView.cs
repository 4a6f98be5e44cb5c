using System.Globalization;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>The human view of <c>incidents show</c>: what a responder needs first, at the top.</summary>
internal static class IncidentView
{
    public static void Write(CliInvocation inv, Incident i)
    {
        var o = inv.Out;
        var e = Output.Escape;
        var head = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        head.AddRow("[bold]Id[/]", e(i.Id));
        head.AddRow("[bold]Severity[/]", Vocabulary.Label(i.Severity));
        head.AddRow("[bold]Status[/]", Vocabulary.Word(i.Status));
        AddTime(head, "Started", i.Times.Started);
        AddTime(head, "Detected", i.Times.Detected);
        AddTime(head, "Mitigated", i.Times.Mitigated);
        AddTime(head, "Resolved", i.Times.Resolved);
        AddTime(head, "First reported", i.Times.FirstReported);
        AddTime(head, "Last confirmed", i.Times.LastConfirmed);
        if (i.Components.Services.Count > 0)
        {
            head.AddRow("[bold]Services[/]", e(string.Join(", ", i.Components.Services)));
        }
        if (i.Tags.Count > 0)
        {
            head.AddRow("[bold]Tags[/]", e(string.Join(", ", i.Tags)));
        }
        o.Write(new Panel(head).Header(e(i.Title)));

        Section(o, "Summary", i.Summary);
        Section(o, "Business impact", i.BusinessImpact);
        Section(o, "Affected users", i.AffectedUsers);
        Section(o, "Root cause", i.RootCause);
        Section(o, "Trigger", i.Trigger);
        Section(o, "Solution", i.Solution);
        Bullets(o, "Error messages", i.ErrorMessages);
        Bullets(o, "Recent changes", i.RecentChanges);

        if (i.Hypotheses.Count > 0)
        {
            var t = Output.Table("#", "Hypothesis", "Confidence", "Category", "Status");
            foreach (var h in Confidences.Ranked(i.Hypotheses))
            {
                t.AddRow(h.Key, e(h.Title),
                    Confidences.Label(h.Confidence, ""),
                    e(h.Category), Vocabulary.Word(h.Status) + (h.Outcome is { } oc ? ": " + e(oc) : ""));
            }
            o.Write(t.Title("Hypotheses"));
        }

        if (i.Tasks.Count > 0)
        {
            var done = i.Tasks.Count(t => t.Done);
            o.Line($"Fix tasks: {done}/{i.Tasks.Count} done");
            var t = Output.Table("#", "Pri.", "Task", "Owner", "Due", "Depends on");
            foreach (var task in TaskTree(i))
            {
                var (item, depth) = task;
                t.AddRow(item.Key, Vocabulary.Label(item.Priority),
                    new string(' ', depth * 2) + (item.Done ? "[[x]] " : "[[ ]] ") + e(item.Title),
                    e(item.Owner), item.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                    string.Join(", ", item.DependsOn.Select(d => $"T{d}")));
            }
            o.Write(t.Title("Fix tasks"));
        }

        if (i.CurrentState.Count > 0)
        {
            var t = Output.Table("Component", "Health", "Detail");
            foreach (var c in i.CurrentState)
            {
                t.AddRow(e(c.Component), Vocabulary.Word(c.Health), e(c.Detail));
            }
            o.Write(t.Title("Current state"));
        }

        Checklist(o, "Rollback plan", i.RollbackPlan);
        Checklist(o, "Success criteria", i.SuccessCriteria);

        if (i.Timeline.Count > 0)
        {
            var t = Output.Table("Time (UTC)", "Kind", "Event");
            foreach (var entry in i.Timeline.OrderBy(x => x.At))
            {
                t.AddRow(TimeInput.Format(entry.At), Vocabulary.Word(entry.Kind),
                    e(entry.Text) + (entry.Flag is { } f ? $" [yellow](flagged: {e(f)})[/]" : ""));
            }
            o.Write(t.Title("Timeline"));
        }

        var evidence = inv.Store.CountEvidence(i.Id);
        o.Line($"Evidence: {evidence} item(s) (see 'incidents evidence list {i.Id}')");
        EvidenceSuggestions(inv, i);

        if (inv.App.FindSimilar is { } similar)
        {
            var hits = similar(inv, i.Id, 3);
            if (hits.Count > 0)
            {
                o.Line();
                o.Line("Similar past incidents:");
                foreach (var h in hits)
                {
                    o.Line($"  {h.Id}  {h.Title}  (shared: {string.Join(", ", h.SharedTerms.Take(6))})");
                }
            }
        }
    }

    private const long ShowMatchesEvidenceUpTo = 20_000;

    /// <summary>The strongest unlinked evidence for each open hypothesis (see <c>hypothesis evidence</c>).</summary>
    private static void EvidenceSuggestions(CliInvocation inv, Incident i)
    {
        if (!i.Hypotheses.Any(h => h.Status == HypothesisStatus.Open))
        {
            return;
        }
        // Matching reads every item; on an incident holding a big log dump that would turn a glance
        // into a long wait, so show says where to ask instead.
        var stored = inv.Store.CountEvidence(i.Id);
        if (stored > ShowMatchesEvidenceUpTo)
        {
            inv.Out.Line();
            inv.Out.Line($"{stored:N0} evidence items: too many to match against open hypotheses here; run 'incidents hypothesis evidence {i.Id} H#'.");
            return;
        }
        var suggestions = Analysis.HypothesisEvidence.ForOpenHypotheses(i, inv.Store.ReadEvidence(i.Id));
        if (suggestions.Count == 0)
        {
            return;
        }
        inv.Out.Line();
        inv.Out.Line("Evidence that may bear on open hypotheses (link with 'incidents hypothesis evidence ID H# --accept E#'):");
        foreach (var (key, matches) in suggestions)
        {
            foreach (var m in matches)
            {
                inv.Out.Line($"  {key}  {m.Evidence} {Vocabulary.Word(m.Bearing)}  ({string.Join(", ", m.Words.Take(6))})  {m.Summary}");
            }
        }
    }

    /// <summary>Tasks in list order with their depth, parents before children.</summary>
    public static IEnumerable<(FixTask Task, int Depth)> TaskTree(Incident incident) => Incidents.TaskTree.Of(incident);

    private static void Checklist(Output o, string title, IReadOnlyList<ChecklistItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }
        o.Line($"{title} ({items.Count(x => x.Done)}/{items.Count} done):");
        foreach (var item in items)
        {
            o.Line($"  {(item.Done ? "[x]" : "[ ]")} {item.Text}");
        }
    }

    private static void AddTime(Grid grid, string label, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            grid.AddRow($"[bold]{label}[/]", TimeInput.Format(v));
        }
    }

    private static void Section(Output o, string title, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            o.Line($"{title}: {text}");
        }
    }

    private static void Bullets(Output o, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }
        o.Line($"{title}:");
        foreach (var item in items)
        {
            o.Line($"  - {item}");
        }
    }
}
