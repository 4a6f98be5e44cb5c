using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

public static class TaskCommands
{
    public static Command Create(CliApp app)
    {
        var group = new Command("task", "Add, check off and list fix tasks");
        group.Subcommands.Add(Add(app));
        group.Subcommands.Add(Done(app, "done", true));
        group.Subcommands.Add(Done(app, "undone", false));
        group.Subcommands.Add(Set(app));
        group.Subcommands.Add(List(app));
        return group;
    }

    private static Command Add(CliApp app)
    {
        var id = Options.IncidentId();
        var title = new Argument<string>("title") { Description = "What to do" };
        var priority = Options.Text("--priority", "P1 (critical) … P4 (low); a sub-item takes its parent's");
        var section = Options.Text("--section", "Section, e.g. \"1. Fix Syntax Error and Deploy\"");
        var group = Options.Text("--group", "Priority group heading, e.g. \"Immediate Fix\"");
        var parent = Options.Text("--parent", "Make this a sub-item of T#");
        var owner = Options.Text("--owner", "Who does it");
        var due = Options.Text("--due", "Due date, YYYY-MM-DD");
        var depends = Options.Many("--depends-on", "A task that must be done first (T#)");
        var json = Options.Json();
        var command = new Command("add", "Add a fix task (numbered T1, T2…)") { id, title, priority, section, group, parent, owner, due, depends, json };
        app.SetAction(command, inv =>
        {
            var parentNumber = inv.Get(parent) is { } p ? Vocabulary.ParseTaskNumber(p) : (int?)null;
            var explicitPriority = inv.Get(priority) is { } pr ? Vocabulary.ParsePriority(pr) : (Priority?)null;
            var dueDate = inv.Get(due) is { } d ? ParseDue(d) : (DateOnly?)null;
            var dependsOn = (inv.Get(depends) ?? []).Select(Vocabulary.ParseTaskNumber).ToList();
            var updated = inv.Store.Update(inv.Get(id)!, i =>
            {
                var parentTask = parentNumber is { } pn ? i.GetTask(pn) : null;
                return i.AddTask(new FixTask
                {
                    Number = 0,
                    Title = IncidentCommands.Required(inv.Get(title), "task title"),
                    Priority = explicitPriority ?? parentTask?.Priority ?? Priority.P2,
                    Section = inv.Get(section),
                    Group = inv.Get(group),
                    Parent = parentNumber,
                    Owner = inv.Get(owner),
                    Due = dueDate,
                    DependsOn = dependsOn,
                });
            });
            var added = updated.Tasks.MaxBy(t => t.Number)!;
            inv.Changed(updated.Id);
            if (inv.Get(json))
            {
                inv.Out.Json(added);
            }
            else
            {
                inv.Out.Line($"Added {added.Key} ({Vocabulary.Label(added.Priority)}) to {updated.Id}: {added.Title}");
            }
            return 0;
        });
        return command;
    }

    private static Command Done(CliApp app, string name, bool done)
    {
        var id = Options.IncidentId();
        var tasks = new Argument<string[]>("tasks") { Description = "T1 T2…", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, done ? "Mark tasks done" : "Mark tasks not done") { id, tasks };
        app.SetAction(command, inv =>
        {
            var numbers = inv.Get(tasks)!.Select(Vocabulary.ParseTaskNumber).ToList();
            var now = inv.Now;
            var updated = inv.Store.Update(inv.Get(id)!, i => numbers.Aggregate(i, (acc, n) => acc.SetTaskDone(n, done, now)));
            inv.Changed(updated.Id);
            foreach (var n in numbers)
            {
                var t = updated.GetTask(n);
                var open = t.DependsOn.Where(d => !updated.GetTask(d).Done).Select(d => $"T{d}").ToList();
                if (done && open.Count > 0)
                {
                    inv.Warn($"{t.Key} is done but depends on {string.Join(", ", open)}, not done yet");
                }
                inv.Out.Line($"{t.Key} {(done ? "done" : "not done")}: {t.Title}");
            }
            var count = updated.Tasks.Count(t => t.Done);
            inv.Out.Line($"{count}/{updated.Tasks.Count} tasks done.");
            return 0;
        });
        return command;
    }

    private static Command Set(CliApp app)
    {
        var id = Options.IncidentId();
        var task = new Argument<string>("task") { Description = "T#" };
        var title = Options.Text("--title", "New title");
        var priority = Options.Text("--priority", "P1 … P4");
        var owner = Options.Text("--owner", "Who does it");
        var due = Options.Text("--due", "Due date, YYYY-MM-DD");
        var depends = Options.Many("--depends-on", "Add a dependency (T#)");
        var json = Options.Json();
        var command = new Command("set", "Change a task's owner, due date, priority or dependencies") { id, task, title, priority, owner, due, depends, json };
        app.SetAction(command, inv =>
        {
            var n = Vocabulary.ParseTaskNumber(inv.Get(task)!);
            var pr = inv.Get(priority) is { } p ? Vocabulary.ParsePriority(p) : (Priority?)null;
            var dueDate = inv.Get(due) is { } d ? ParseDue(d) : (DateOnly?)null;
            var more = (inv.Get(depends) ?? []).Select(Vocabulary.ParseTaskNumber).ToList();
            var updated = inv.Store.Update(inv.Get(id)!, i => i.UpdateTask(n, t => t with
            {
                Title = inv.Get(title) ?? t.Title,
                // A title typed here renders escaped, not as the imported document's Markdown.
                Markdown = inv.Get(title) is null && t.Markdown,
                Priority = pr ?? t.Priority,
                Owner = inv.Get(owner) ?? t.Owner,
                Due = dueDate ?? t.Due,
                DependsOn = [.. t.DependsOn.Union(more)],
            }));
            inv.Changed(updated.Id);
            var changed = updated.GetTask(n);
            if (inv.Get(json))
            {
                inv.Out.Json(changed);
            }
            else
            {
                inv.Out.Line($"Updated {changed.Key}: {changed.Title}");
            }
            return 0;
        });
        return command;
    }

    private static Command List(CliApp app)
    {
        var id = Options.IncidentId();
        var open = new Option<bool>("--open") { Description = "Only tasks not done" };
        var json = Options.Json();
        var command = new Command("list", "List fix tasks as a tree") { id, open, json };
        app.SetAction(command, inv =>
        {
            var incident = inv.Store.Get(inv.Get(id)!);
            var rows = IncidentView.TaskTree(incident).Where(r => !inv.Get(open) || !r.Task.Done).ToList();
            if (inv.Get(json))
            {
                inv.Out.Json(rows.Select(r => r.Task).ToList());
                return 0;
            }
            var t = Output.Table("#", "Pri.", "Task", "Owner", "Due", "Depends on");
            foreach (var (task, depth) in rows)
            {
                t.AddRow(task.Key, Vocabulary.Label(task.Priority),
                    new string(' ', depth * 2) + (task.Done ? "[[x]] " : "[[ ]] ") + Output.Escape(task.Title),
                    Output.Escape(task.Owner), task.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                    string.Join(", ", task.DependsOn.Select(x => $"T{x}")));
            }
            inv.Out.Write(t);
            inv.Out.Line($"{incident.Tasks.Count(x => x.Done)}/{incident.Tasks.Count} done.");
            return 0;
        });
        return command;
    }

    private static DateOnly ParseDue(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InvalidInputException($"invalid due date '{text}': use YYYY-MM-DD");
}
