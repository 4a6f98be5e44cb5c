using System.CommandLine;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

public static class TimelineCommands
{
    public static Command Create(CliApp app)
    {
        var group = new Command("timeline", "Add to or list an incident's timeline");
        group.Subcommands.Add(Add(app));
        group.Subcommands.Add(List(app));
        group.Subcommands.Add(TimelineSuggestCommand.Create(app));
        return group;
    }

    private static Command Add(CliApp app)
    {
        var id = Options.IncidentId();
        var text = new Argument<string>("text") { Description = "What happened" };
        var at = new Option<string>("--at") { Description = "When (UTC): ISO-8601 or a duration ago (15m)", Required = true };
        var kind = Options.Text("--kind", "detection, action, deploy, escalation, communication, mitigation, resolution, observation");
        var evidence = Options.Many("--evidence", "Evidence backing this entry (E3)");
        var json = Options.Json();
        var command = new Command("add", "Add a timeline entry") { id, text, at, kind, evidence, json };
        app.SetAction(command, inv =>
        {
            var when = TimeInput.Parse(inv.Get(at)!, inv.Now);
            var entry = new TimelineEntry
            {
                At = when,
                Text = IncidentCommands.Required(inv.Get(text), "timeline text"),
                Kind = inv.Get(kind) is { } k ? Vocabulary.ParseTimelineKind(k) : TimelineKind.Action,
                Evidence = [.. (inv.Get(evidence) ?? []).Select(x => $"E{Vocabulary.ParseEvidenceNumber(x)}")],
            };
            var now = inv.Now;
            var updated = inv.Store.Update(inv.Get(id)!, i => i.AddTimelineEntry(entry, now));
            inv.Changed(updated.Id);
            // The stored text may differ (redaction); the sort is stable, so the newest entry at that time is ours.
            var added = updated.Timeline.Last(e => e.At == when);
            if (added.Flag is { } flag)
            {
                inv.Warn($"timeline entry at {TimeInput.Format(when)} flagged: {flag}");
            }
            if (inv.Get(json))
            {
                inv.Out.Json(added);
            }
            else
            {
                inv.Out.Line($"Added timeline entry at {TimeInput.Format(when)} to {updated.Id}.");
            }
            return 0;
        });
        return command;
    }

    private static Command List(CliApp app)
    {
        var id = Options.IncidentId();
        var json = Options.Json();
        var command = new Command("list", "List the timeline in time order") { id, json };
        app.SetAction(command, inv =>
        {
            var incident = inv.Store.Get(inv.Get(id)!);
            var entries = incident.Timeline.OrderBy(e => e.At).ToList();
            if (inv.Get(json))
            {
                inv.Out.Json(entries);
                return 0;
            }
            var t = Output.Table("Time (UTC)", "Kind", "Event", "Evidence", "Flag");
            foreach (var e in entries)
            {
                t.AddRow(TimeInput.Format(e.At), Vocabulary.Word(e.Kind), Output.Escape(e.Text), string.Join(", ", e.Evidence), Output.Escape(e.Flag));
            }
            inv.Out.Write(t);
            return 0;
        });
        return command;
    }
}
