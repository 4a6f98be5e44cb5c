using System.CommandLine;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>Extra redaction patterns, kept in the database so every later write on any machine applies them.</summary>
public static class RedactionCommands
{
    public static Command Create(CliApp app)
    {
        var group = new Command("redaction", "Manage extra secret patterns (built-in ones always apply)");

        var pattern = new Argument<string>("pattern") { Description = ".NET regular expression; each match is replaced by [REDACTED]" };
        var add = new Command("add", "Add a pattern for all later writes") { pattern };
        app.SetAction(add, inv =>
        {
            // Refused (exit 2) when it is not a valid .NET pattern, matches empty text, or times out on a sample.
            inv.Store.AddRedactionPattern(inv.Get(pattern)!);
            inv.Out.Line("Added. It applies to text stored from now on.");
            return 0;
        });

        var stored = new Argument<string>("pattern") { Description = "A pattern exactly as 'redaction list' shows it" };
        var remove = new Command("remove", "Remove a pattern kept in the database (text already stored stays redacted)") { stored };
        app.SetAction(remove, inv =>
        {
            inv.Store.RemoveRedactionPattern(inv.Get(stored)!);
            inv.Out.Line("Removed. Text stored from now on is no longer matched against it.");
            return 0;
        });

        var json = Options.Json();
        var list = new Command("list", "List the extra patterns") { json };
        app.SetAction(list, inv =>
        {
            var patterns = inv.Store.Redactor.ExtraPatterns;
            if (inv.Get(json))
            {
                inv.Out.Json(patterns);
            }
            else
            {
                foreach (var p in patterns)
                {
                    inv.Out.Line(p);
                }
            }
            return 0;
        });

        var text = new Argument<string>("text") { Description = "Text to try" };
        var test = new Command("test", "Show what would be stored for a piece of text") { text };
        app.SetAction(test, inv =>
        {
            inv.Out.Line(inv.Store.Redactor.Redact(inv.Get(text)!));
            return 0;
        });

        group.Subcommands.Add(add);
        group.Subcommands.Add(list);
        group.Subcommands.Add(remove);
        group.Subcommands.Add(test);
        return group;
    }
}
