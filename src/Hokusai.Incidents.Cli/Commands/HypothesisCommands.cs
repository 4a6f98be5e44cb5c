using System.CommandLine;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

public static class HypothesisCommands
{
    public static Command Create(CliApp app)
    {
        var group = new Command("hypothesis", "Add, update and list hypotheses");
        group.Subcommands.Add(Add(app));
        group.Subcommands.Add(Set(app));
        group.Subcommands.Add(List(app));
        group.Subcommands.Add(HypothesisEvidenceCommand.Create(app));
        group.Subcommands.Add(CopyCommands.Hypotheses(app));
        return group;
    }

    private sealed class Fields
    {
        public Option<string?> Confidence { get; } = Options.Text("--confidence", "Confidence percent, 0–100 (or high, medium, low)");
        public Option<string?> Complexity { get; } = Options.Text("--complexity", "How hard it is to check: simple, medium, complex");
        public Option<string?> Impact { get; } = Options.Text("--impact", "Impact if true, e.g. critical");
        public Option<string?> Category { get; } = Options.Text("--category", "Category, e.g. Infrastructure Configuration");
        public Option<string?> Description { get; } = Options.Text("--description", "What the hypothesis says");
        public Option<string[]> Evidence { get; } = Options.Many("--evidence", "Supporting evidence");
        public Option<string[]> Against { get; } = Options.Many("--against", "Evidence against");
        public Option<string?> Why { get; } = Options.Text("--why", "Why this would cause the bug");
        public Option<string[]> Step { get; } = Options.Many("--test-step", "A step of the test method");
        public Option<string?> IfTrue { get; } = Options.Text("--expect-true", "What the test shows if the hypothesis is true");
        public Option<string?> IfFalse { get; } = Options.Text("--expect-false", "What the test shows if it is false");
        public Option<string[]> Command { get; } = Options.Many("--command", "A command to check it");
        public Option<string?> QuickFix { get; } = Options.Text("--quick-fix", "A quick fix to test it");

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Confidence, Complexity, Impact, Category, Description, Evidence, Against, Why, Step, IfTrue, IfFalse, Command, QuickFix })
            {
                c.Options.Add(o);
            }
        }

        public Hypothesis Apply(CliInvocation inv, Hypothesis h) => h with
        {
            Confidence = inv.Get(Confidence) is { } c ? ParseConfidence(c) : h.Confidence,
            Complexity = inv.Get(Complexity) ?? h.Complexity,
            Impact = inv.Get(Impact) ?? h.Impact,
            Category = inv.Get(Category) ?? h.Category,
            Description = inv.Get(Description) ?? h.Description,
            SupportingEvidence = [.. h.SupportingEvidence, .. inv.Get(Evidence) ?? []],
            EvidenceAgainst = [.. h.EvidenceAgainst, .. inv.Get(Against) ?? []],
            WhyItCausesTheBug = inv.Get(Why) ?? h.WhyItCausesTheBug,
            TestMethod = h.TestMethod with
            {
                Steps = [.. h.TestMethod.Steps, .. inv.Get(Step) ?? []],
                ExpectedIfTrue = inv.Get(IfTrue) ?? h.TestMethod.ExpectedIfTrue,
                ExpectedIfFalse = inv.Get(IfFalse) ?? h.TestMethod.ExpectedIfFalse,
            },
            Commands = [.. h.Commands, .. (inv.Get(Command) ?? []).Select(c => new CodeSnippet { Language = "bash", Code = c })],
            QuickFixTest = inv.Get(QuickFix) ?? h.QuickFixTest,
        };
    }

    internal static int ParseConfidence(string text) => Confidences.Parse(text);

    private static Command Add(CliApp app)
    {
        var id = Options.IncidentId();
        var title = new Argument<string>("title") { Description = "The hypothesis in a line" };
        var json = Options.Json();
        var fields = new Fields();
        var command = new Command("add", "Add a hypothesis (numbered H1, H2…)") { id, title, json };
        fields.AddTo(command);
        app.SetAction(command, inv =>
        {
            var draft = fields.Apply(inv, new Hypothesis { Number = 0, Title = IncidentCommands.Required(inv.Get(title), "hypothesis title") });
            var updated = inv.Store.Update(inv.Get(id)!, i => i.AddHypothesis(draft));
            var added = updated.Hypotheses.MaxBy(h => h.Number)!;
            inv.Changed(updated.Id);
            if (inv.Get(json))
            {
                inv.Out.Json(added);
            }
            else
            {
                inv.Out.Line($"Added {added.Key} to {updated.Id}: {added.Title}");
            }
            return 0;
        });
        return command;
    }

    private static Command Set(CliApp app)
    {
        var id = Options.IncidentId();
        var number = new Argument<string>("hypothesis") { Description = "H1, H2…" };
        var status = Options.Text("--status", "open, confirmed or refuted");
        var outcome = Options.Text("--outcome", "What the test showed");
        var title = Options.Text("--title", "New title");
        var json = Options.Json();
        var fields = new Fields();
        var command = new Command("set", "Change a hypothesis: status (with a dated history), outcome, fields") { id, number, status, outcome, title, json };
        fields.AddTo(command);
        app.SetAction(command, inv =>
        {
            var n = Vocabulary.ParseHypothesisNumber(inv.Get(number)!);
            var newStatus = inv.Get(status) is { } s ? Vocabulary.ParseHypothesisStatus(s) : (HypothesisStatus?)null;
            var now = inv.Now;
            var updated = inv.Store.Update(inv.Get(id)!, i =>
            {
                var changed = i.UpdateHypothesis(n, h => fields.Apply(inv, h) with { Title = inv.Get(title) ?? h.Title });
                if (newStatus is { } ns)
                {
                    changed = changed.SetHypothesisStatus(n, ns, inv.Get(outcome), now);
                }
                else if (inv.Get(outcome) is { } oc)
                {
                    changed = changed.UpdateHypothesis(n, h => h with { Outcome = oc });
                }
                return changed;
            });
            inv.Changed(updated.Id);
            var h = updated.GetHypothesis(n);
            if (inv.Get(json))
            {
                inv.Out.Json(h);
            }
            else
            {
                inv.Out.Line($"{h.Key} is {Vocabulary.Word(h.Status)}{(h.Outcome is { } o ? ": " + o : "")}");
            }
            return 0;
        });
        return command;
    }

    private static Command List(CliApp app)
    {
        var id = Options.IncidentId();
        var json = Options.Json();
        var command = new Command("list", "List hypotheses, most likely first") { id, json };
        app.SetAction(command, inv =>
        {
            var incident = inv.Store.Get(inv.Get(id)!);
            var sorted = Confidences.Ranked(incident.Hypotheses).ToList();
            if (inv.Get(json))
            {
                inv.Out.Json(sorted);
                return 0;
            }
            var t = Output.Table("#", "Hypothesis", "Confidence", "Complexity", "Impact", "Category", "Status");
            foreach (var h in sorted)
            {
                t.AddRow(h.Key, Output.Escape(h.Title), Confidences.Label(h.Confidence, ""),
                    Output.Escape(h.Complexity), Output.Escape(h.Impact), Output.Escape(h.Category),
                    Vocabulary.Word(h.Status) + (h.Outcome is { } o ? ": " + Output.Escape(o) : ""));
            }
            inv.Out.Write(t);
            return 0;
        });
        return command;
    }
}
