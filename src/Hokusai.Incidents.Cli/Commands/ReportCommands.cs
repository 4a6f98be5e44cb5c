using System.CommandLine;
using System.Globalization;
using Hokusai.Incidents.Reports;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>Across incidents: the fix-task backlog and the time-to-recover report.</summary>
internal static class ReportCommands
{
    public static IEnumerable<Command> Create(CliApp app) => [Tasks(app), Report(app)];

    private static Command Tasks(CliApp app)
    {
        var open = new Option<bool>("--open") { Description = "Only tasks not done" };
        var owner = Options.Text("--owner", "Only tasks of this owner");
        var overdue = new Option<bool>("--overdue") { Description = "Only open tasks past their due date" };
        var service = Options.Text("--service", "Only tasks of incidents that affected this service");
        var json = Options.Json();
        var command = new Command("tasks", "Fix tasks across every incident (the action-item backlog), oldest due first")
        {
            open, owner, overdue, service, json,
        };
        app.SetAction(command, inv =>
        {
            var today = DateOnly.FromDateTime(inv.Now.UtcDateTime);
            var items = TaskBacklog.Query(inv.Store.List(), new BacklogFilter
            {
                OpenOnly = inv.Get(open),
                Owner = inv.Get(owner),
                OverdueOnly = inv.Get(overdue),
                Service = inv.Get(service),
            }, today);
            if (inv.Get(json))
            {
                inv.Out.Json(items);
                return 0;
            }
            var table = Output.Table("Due", "Incident", "#", "Pri.", "Task", "Owner");
            foreach (var item in items)
            {
                var t = item.Task;
                var due = t.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
                table.AddRow(item.Overdue ? $"[red]{due} overdue[/]" : due, Output.Escape(item.IncidentId), t.Key, Vocabulary.Label(t.Priority),
                    (t.Done ? "[[x]] " : "[[ ]] ") + Output.Escape(t.Title), Output.Escape(t.Owner));
            }
            inv.Out.Write(table);
            inv.Out.Line(string.Create(CultureInfo.InvariantCulture,
                $"{items.Count} task(s) from {items.Select(i => i.IncidentId).Distinct().Count()} incident(s); {items.Count(i => !i.Task.Done)} open, {items.Count(i => i.Overdue)} overdue."));
            return 0;
        });
        return command;
    }

    private static Command Report(CliApp app)
    {
        var since = Options.Text("--since", "Only incidents started since then: 90d, 2025-01-01 (default: all)");
        var by = Options.Text("--by", "Group by service, severity or month");
        var outDir = Options.Text("--out", $"Write a Markdown report with Mermaid charts to DIR/{ReportMarkdown.FileName}");
        var json = Options.Json();
        var command = new Command("report", "Counts and mean/median time to detect, mitigate and resolve across incidents")
        {
            since, by, outDir, json,
        };
        app.SetAction(command, inv =>
        {
            var grouping = inv.Get(by) is { } b ? b.Trim().ToLowerInvariant() switch
            {
                "service" => ReportGrouping.Service,
                "severity" => ReportGrouping.Severity,
                "month" => ReportGrouping.Month,
                _ => throw new InvalidInputException($"invalid --by '{b}': expected service, severity or month"),
            } : ReportGrouping.None;
            var report = RecoveryReport.Build(inv.Store.List(), new ReportOptions
            {
                Since = inv.Get(since) is { } s ? TimeInput.Parse(s, inv.Now) : null,
                By = grouping,
            }, inv.Now);
            if (inv.Get(outDir) is { } dir)
            {
                var full = inv.FullPath(dir);
                Directory.CreateDirectory(full);
                var path = Path.Combine(full, ReportMarkdown.FileName);
                File.WriteAllText(path, ReportMarkdown.Write(report));
                if (!inv.Get(json))
                {
                    inv.Out.Line($"Wrote {path}");
                    return 0;
                }
            }
            if (inv.Get(json))
            {
                inv.Out.Json(report);
                return 0;
            }
            var table = Output.Table(grouping == ReportGrouping.None ? "" : report.By, "Incidents", "Detect (mean / median)", "Mitigate (mean / median)",
                "Resolve (mean / median)");
            foreach (var g in report.Groups.Prepend(report.Overall))
            {
                table.AddRow(Output.Escape(g.Key), g.Incidents.ToString(CultureInfo.InvariantCulture), Stat(g.TimeToDetect), Stat(g.TimeToMitigate), Stat(g.TimeToResolve));
            }
            inv.Out.Write(table);
            foreach (var m in new[] { report.Overall.TimeToDetect, report.Overall.TimeToMitigate, report.Overall.TimeToResolve }.Where(m => m.Missing.Count > 0))
            {
                inv.Out.Line($"Not in {m.Measure}: {string.Join(", ", m.Missing.Select(x => $"{x.IncidentId} ({x.Reason})"))}");
            }
            return 0;
        });
        return command;
    }

    private static string Stat(DurationStats s) => s.Measured == 0 ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{RecoveryReport.Format(s.Mean)} / {RecoveryReport.Format(s.Median)} (n={s.Measured})");
}
