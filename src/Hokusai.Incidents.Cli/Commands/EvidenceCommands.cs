using System.CommandLine;
using Hokusai.Incidents.Storage;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

public static class EvidenceCommands
{
    public static Command Create(CliApp app)
    {
        var group = new Command("evidence", "Add, link and list evidence");
        group.Subcommands.Add(Add(app));
        group.Subcommands.Add(Link(app));
        group.Subcommands.Add(List(app));
        return group;
    }

    private static Command Add(CliApp app)
    {
        var id = Options.IncidentId();
        var text = new Argument<string?>("text") { Description = "The evidence; omit (or give -) to read standard input", Arity = ArgumentArity.ZeroOrOne };
        var kind = new Option<string>("--kind") { Description = "log-excerpt, ecs-event, endpoint-check, command-output or note", Required = true };
        var supports = Options.Many("--supports", "A hypothesis or task this supports (H1, T3)");
        var refutes = Options.Many("--refutes", "A hypothesis this refutes (H2)");
        var source = Options.Text("--source", "Where it came from, e.g. /ecs/hokusai-api-development or curl");
        var at = Options.Text("--at", "When it was observed (ISO-8601 or 10m)");
        var title = Options.Text("--title", "A short title");
        var language = Options.Text("--language", "Code fence language for display (python, json, bash)");
        var json = Options.Json();
        var command = new Command("add", "Add evidence to an incident") { id, text, kind, supports, refutes, source, at, title, language, json };
        app.SetAction(command, inv =>
        {
            var incidentId = inv.Get(id)!;
            var evidenceKind = Vocabulary.ParseEvidenceKind(inv.Get(kind)!);
            var when = inv.Get(at) is { } a ? TimeInput.Parse(a, inv.Now) : (DateTimeOffset?)null;
            var incident = inv.Store.Get(incidentId);
            var supportKeys = (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget).ToList();
            var refuteKeys = (inv.Get(refutes) ?? []).Select(incident.CheckLinkTarget).ToList();
            var content = Options.TextOrStdin(inv, inv.Get(text))
                ?? throw new InvalidInputException("no evidence text: give it as an argument or on standard input");
            var result = inv.Store.AddEvidence([new Evidence
            {
                IncidentId = incidentId,
                Kind = evidenceKind,
                Content = content,
                Source = inv.Get(source),
                Time = when,
                Title = inv.Get(title),
                Language = inv.Get(language),
                Supports = supportKeys,
                Refutes = refuteKeys,
            }]);
            inv.Changed(incidentId);
            if (result.Added == 0)
            {
                inv.Notice($"{incidentId} already has this evidence; nothing added");
            }
            var stored = result.Numbers.Count > 0
                ? inv.Store.FindEvidence(incidentId, result.Numbers[0])
                : null;
            if (inv.Get(json))
            {
                inv.Out.Json(new EvidenceAddOutput(result.Added, result.Skipped, stored));
            }
            else if (stored is not null)
            {
                inv.Out.Line($"Added {stored.Key} ({Vocabulary.Word(stored.Kind)}) to {incidentId}.");
            }
            return 0;
        });
        return command;
    }

    private static Command Link(CliApp app)
    {
        var id = Options.IncidentId();
        var number = new Argument<string>("evidence") { Description = "E#" };
        var supports = Options.Many("--supports", "A hypothesis or task it supports (H1, T3)");
        var refutes = Options.Many("--refutes", "A hypothesis it refutes (H2)");
        var command = new Command("link", "Link evidence to hypotheses or tasks") { id, number, supports, refutes };
        app.SetAction(command, inv =>
        {
            var incidentId = inv.Get(id)!;
            var n = Vocabulary.ParseEvidenceNumber(inv.Get(number)!);
            var incident = inv.Store.Get(incidentId);
            var s = (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget).ToList();
            var r = (inv.Get(refutes) ?? []).Select(incident.CheckLinkTarget).ToList();
            if (s.Count + r.Count == 0)
            {
                throw new InvalidInputException("nothing to link: give --supports or --refutes");
            }
            var e = inv.Store.UpdateEvidence(incidentId, n, e => e with
            {
                Supports = [.. e.Supports.Union(s)],
                Refutes = [.. e.Refutes.Union(r)],
            });
            inv.EvidenceChanged(incidentId, n);
            inv.Out.Line($"{e.Key} supports {Join(e.Supports)}; refutes {Join(e.Refutes)}.");
            return 0;
        });
        return command;
    }

    private static Command List(CliApp app)
    {
        var id = Options.IncidentId();
        var kind = Options.Text("--kind", "Only this kind");
        var linked = Options.Text("--linked-to", "Only evidence linked to this H# or T#");
        var limit = new Option<int?>("--limit") { Description = "At most this many" };
        var json = Options.Json();
        var command = new Command("list", "List an incident's evidence") { id, kind, linked, limit, json };
        app.SetAction(command, inv =>
        {
            var incidentId = inv.Get(id)!;
            inv.Store.Get(incidentId);
            var query = new Storage.EvidenceQuery
            {
                Kind = inv.Get(kind) is { } k ? Vocabulary.ParseEvidenceKind(k) : null,
                LinkedTo = inv.Get(linked) is { } l ? Vocabulary.ParseLinkTarget(l) : null,
                Limit = inv.Get(limit),
            };
            var items = inv.Store.ListEvidence(incidentId, query).ToList();
            if (inv.Get(json))
            {
                inv.Out.Json(items);
                return 0;
            }
            var t = Output.Table("#", "Kind", "Time (UTC)", "Source", "Content", "Supports", "Refutes");
            foreach (var e in items)
            {
                var content = e.Content.ReplaceLineEndings(" ⏎ ");
                t.AddRow(e.Key, Vocabulary.Word(e.Kind), e.Time is { } time ? TimeInput.Format(time) : "",
                    Output.Escape(e.Source), Output.Escape(content.Length > 120 ? content[..117] + "…" : content),
                    Join(e.Supports), Join(e.Refutes));
            }
            inv.Out.Write(t);
            inv.Out.Line($"{items.Count} item(s).");
            return 0;
        });
        return command;
    }

    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "-" : string.Join(", ", items);
}

/// <summary>What <c>evidence add --json</c> prints.</summary>
public sealed record EvidenceAddOutput(int Added, int Skipped, Evidence? Evidence);
