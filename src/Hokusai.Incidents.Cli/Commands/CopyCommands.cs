using System.CommandLine;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>task copy</c> and <c>hypothesis copy</c>: work brought over from a past incident (rules in <see cref="IncidentCopies"/>).</summary>
public static class CopyCommands
{
    public static Command Tasks(CliApp app)
    {
        var id = Options.IncidentId();
        var from = new Option<string>("--from") { Description = "The past incident to copy from", Required = true };
        var numbers = new Argument<string[]>("tasks") { Description = "T# to copy with their sub-items (all when none)", Arity = ArgumentArity.ZeroOrMore };
        var json = Options.Json();
        var command = new Command("copy", "Copy fix tasks from another incident: nesting, priorities and dependencies kept, done state, owner and due date cleared") { id, numbers, from, json };
        app.SetAction(command, inv =>
        {
            var source = inv.Store.Get(inv.Get(from)!);
            var wanted = (inv.Get(numbers) ?? []).Select(Vocabulary.ParseTaskNumber).ToList();
            var before = 0;
            var updated = inv.Store.Update(inv.Get(id)!, i =>
            {
                before = i.Tasks.Count;
                return i.CopyTasks(source, wanted);
            });
            inv.Changed(updated.Id);
            var copied = updated.Tasks.Skip(before).ToList();
            if (inv.Get(json))
            {
                inv.Out.Json(copied);
            }
            else
            {
                inv.Out.Line($"Copied {copied.Count} task(s) from {source.Id} to {updated.Id}"
                    + (copied.Count > 0 ? $" as {copied[0].Key}–{copied[^1].Key}." : "."));
            }
            return 0;
        });
        return command;
    }

    public static Command Hypotheses(CliApp app)
    {
        var id = Options.IncidentId();
        var from = new Option<string>("--from") { Description = "The past incident to copy from", Required = true };
        var numbers = new Argument<string[]>("hypotheses") { Description = "H# to copy", Arity = ArgumentArity.OneOrMore };
        var json = Options.Json();
        var command = new Command("copy", "Copy hypotheses from another incident as open ones, test methods kept, where they came from recorded") { id, numbers, from, json };
        app.SetAction(command, inv =>
        {
            var source = inv.Store.Get(inv.Get(from)!);
            var wanted = (inv.Get(numbers) ?? []).Select(Vocabulary.ParseHypothesisNumber).ToList();
            var before = new HashSet<int>();
            var updated = inv.Store.Update(inv.Get(id)!, i =>
            {
                before = [.. i.Hypotheses.Select(h => h.Number)];
                return i.CopyHypotheses(source, wanted);
            });
            inv.Changed(updated.Id);
            var copied = updated.Hypotheses.Where(h => !before.Contains(h.Number)).ToList();
            if (inv.Get(json))
            {
                inv.Out.Json(copied);
            }
            else
            {
                foreach (var h in copied)
                {
                    inv.Out.Line($"Added {h.Key} to {updated.Id}: {h.Title} (from {h.CopiedFrom})");
                }
            }
            return 0;
        });
        return command;
    }
}
