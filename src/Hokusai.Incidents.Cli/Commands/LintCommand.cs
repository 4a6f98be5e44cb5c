using System.CommandLine;
using Hokusai.Incidents.Analysis;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>lint</c>: the postmortem review (rules in <see cref="PostmortemReview"/>); exit 7 when anything is flagged.</summary>
public static class LintCommand
{
    public static Command Create(CliApp app)
    {
        var id = Options.IncidentId();
        var maxGap = Options.Text("--max-gap", "Flag silences in the timeline longer than this while the incident was active (default 4h)");
        var json = Options.Json();
        var command = new Command("lint", $"Review a postmortem: list what a reviewer would flag; exit {PostmortemReview.FindingsExitCode} when anything is") { id, maxGap, json };
        app.SetAction(command, inv =>
        {
            var options = new LintOptions { Now = inv.Now, Redactor = inv.Store.Redactor };
            if (inv.Get(maxGap) is { } gap)
            {
                var span = TimeInput.TryParseDuration(gap, out var parsed) && parsed > TimeSpan.Zero
                    ? parsed
                    : throw new InvalidInputException($"invalid --max-gap '{gap}': use a duration such as 30m, 2h or 1d");
                options = options with { MaxGap = span };
            }
            var incident = inv.Store.Get(inv.Get(id)!);
            var findings = PostmortemReview.Check(incident, inv.Store.ListEvidence(incident.Id), options);
            if (inv.Get(json))
            {
                inv.Out.Json(findings);
            }
            else if (findings.Count == 0)
            {
                inv.Out.Line($"{incident.Id}: nothing to flag.");
            }
            else
            {
                var t = Output.Table("Rule", "Where", "Finding", "Fix");
                foreach (var f in findings)
                {
                    t.AddRow(f.Rule, Output.Escape(f.Where), Output.Escape(f.Message), Output.Escape(f.Fix));
                }
                inv.Out.Write(t);
                inv.Out.Line($"{incident.Id}: {findings.Count} finding{(findings.Count == 1 ? "" : "s")}.");
            }
            return findings.Count == 0 ? 0 : PostmortemReview.FindingsExitCode;
        });
        return command;
    }
}
