using System.CommandLine;
using Hokusai.Incidents.Analysis;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>timeline suggest</c>: timeline entries drawn from the stored evidence (rules in <see cref="TimelineSuggestions"/>).</summary>
public static class TimelineSuggestCommand
{
    public static Command Create(CliApp app)
    {
        var id = Options.IncidentId();
        var accept = Options.Text("--accept", "Add suggestions to the timeline: all, or ids such as S1,S3");
        var json = Options.Json();
        var command = new Command("suggest", "Propose timeline entries from the evidence (deployments, stopped tasks, errors, endpoint health)") { id, accept, json };
        app.SetAction(command, inv =>
        {
            var incidentId = inv.Get(id)!;
            var incident = inv.Store.Get(incidentId);
            var evidence = inv.Store.ReadEvidence(incident.Id);
            var suggestions = TimelineSuggestions.Suggest(incident, evidence);
            if (inv.Get(accept) is not { } selection)
            {
                Print(inv, incident.Id, suggestions, inv.Get(json));
                return 0;
            }
            TimelineSuggestions.Pick(suggestions, selection);
            var now = inv.Now;
            IReadOnlyList<TimelineSuggestion> accepted = [];
            // Suggested again inside the update, so a timeline changed meanwhile is not given a moment twice.
            var updated = inv.Store.Update(incident.Id, current =>
            {
                accepted = TimelineSuggestions.Pick(TimelineSuggestions.Suggest(current, evidence), selection);
                return TimelineSuggestions.Accept(current, accepted, now);
            });
            inv.Changed(updated.Id);
            if (inv.Get(json))
            {
                inv.Out.Json(accepted);
                return 0;
            }
            var milestones = accepted.Where(s => s.Sets is not null)
                .Select(s => $"{Vocabulary.Word(s.Sets!.Value)} {TimeInput.Format(s.At)}").ToList();
            inv.Out.Line($"Added {accepted.Count} timeline entr{(accepted.Count == 1 ? "y" : "ies")} to {updated.Id}"
                + (milestones.Count > 0 ? $"; set {string.Join(", ", milestones)}." : "."));
            return 0;
        });
        return command;
    }

    private static void Print(CliInvocation inv, string incidentId, IReadOnlyList<TimelineSuggestion> suggestions, bool json)
    {
        if (json)
        {
            inv.Out.Json(suggestions);
            return;
        }
        if (suggestions.Count == 0)
        {
            inv.Out.Line($"No timeline suggestions for {incidentId}: the evidence shows nothing the timeline lacks.");
            return;
        }
        var t = Output.Table("Id", "Time (UTC)", "Kind", "Entry", "Evidence", "Would set");
        foreach (var s in suggestions)
        {
            t.AddRow(s.Id, TimeInput.Format(s.At), Vocabulary.Word(s.Kind), Output.Escape(s.Text), string.Join(", ", s.Evidence),
                s.Sets is { } m ? Vocabulary.Word(m) : "");
        }
        inv.Out.Write(t);
        inv.Out.Line($"Accept with: incidents timeline suggest {incidentId} --accept all (or --accept {suggestions[0].Id},…)");
    }
}
