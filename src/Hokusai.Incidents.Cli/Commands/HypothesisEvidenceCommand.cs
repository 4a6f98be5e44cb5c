using System.CommandLine;
using Hokusai.Incidents.Analysis;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>hypothesis evidence</c>: stored evidence that bears on a hypothesis (rules in <see cref="HypothesisEvidence"/>).</summary>
public static class HypothesisEvidenceCommand
{
    public static Command Create(CliApp app)
    {
        var id = Options.IncidentId();
        var number = new Argument<string>("hypothesis") { Description = "H1, H2…" };
        var limit = new Option<int?>("--limit") { Description = "At most this many suggestions (default 10)" };
        var accept = Options.Text("--accept", "Link suggestions as they suggest: all, or evidence such as E3,E7");
        var json = Options.Json();
        var command = new Command("evidence", "Suggest stored evidence that supports or refutes a hypothesis, with the words that matched") { id, number, limit, accept, json };
        app.SetAction(command, inv =>
        {
            var incident = inv.Store.Get(inv.Get(id)!);
            var hypothesis = incident.GetHypothesis(Vocabulary.ParseHypothesisNumber(inv.Get(number)!));
            var max = inv.Get(limit) ?? 10;
            if (max < 1)
            {
                throw new InvalidInputException($"invalid --limit '{max}': use 1 or more");
            }
            var matches = HypothesisEvidence.Suggest(incident, hypothesis, inv.Store.ListEvidence(incident.Id), max);
            if (inv.Get(accept) is { } selection)
            {
                var chosen = Choose(matches, selection);
                // Checked before anything is written: a related match among them refuses the whole command.
                var linked = chosen.Select(m => (Match: m, Number: Vocabulary.ParseEvidenceNumber(m.Evidence))).ToList();
                foreach (var (m, _) in linked)
                {
                    HypothesisEvidence.Link(new Evidence { IncidentId = incident.Id, Kind = EvidenceKind.Note, Content = "" }, m);
                }
                foreach (var (m, n) in linked)
                {
                    inv.Store.UpdateEvidence(incident.Id, n, e => HypothesisEvidence.Link(e, m));
                    inv.EvidenceChanged(incident.Id, n);
                }
                if (inv.Get(json))
                {
                    inv.Out.Json(chosen);
                }
                else
                {
                    foreach (var m in chosen)
                    {
                        inv.Out.Line($"{m.Evidence} now {Vocabulary.Word(m.Bearing)} {m.Hypothesis}.");
                    }
                }
                return 0;
            }
            if (inv.Get(json))
            {
                inv.Out.Json(matches);
                return 0;
            }
            if (matches.Count == 0)
            {
                inv.Out.Line($"No unlinked evidence matches {hypothesis.Key} \"{hypothesis.Title}\".");
                return 0;
            }
            var t = Output.Table("Evidence", "Suggested", "Score", "Matched words", "Evidence says");
            foreach (var m in matches)
            {
                t.AddRow(m.Evidence, Vocabulary.Word(m.Bearing), m.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Output.Escape(string.Join(", ", m.Words)), Output.Escape(m.Summary));
            }
            inv.Out.Write(t);
            inv.Out.Line($"Accept with: incidents hypothesis evidence {incident.Id} {hypothesis.Key} --accept {matches[0].Evidence} (or all), or 'incidents evidence link'.");
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<EvidenceMatch> Choose(IReadOnlyList<EvidenceMatch> matches, string selection)
    {
        if (selection.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return [.. matches.Where(m => m.Bearing != Bearing.Related)];
        }
        return [.. selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var key = $"E{Vocabulary.ParseEvidenceNumber(part)}";
            return matches.FirstOrDefault(m => m.Evidence == key)
                ?? throw new NotFoundException($"{key} is not among the suggestions (see 'incidents hypothesis evidence' without --accept)");
        })];
    }
}
