using System.CommandLine;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>Option and argument shapes used by many commands, so they read and behave the same everywhere.</summary>
public static class Options
{
    public static Argument<string> IncidentId() => new("id") { Description = "Incident id, e.g. 2025-08-18-model-registration-failure" };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON for scripts instead of a table" };

    public static Option<string?> Text(string name, string description) => new(name) { Description = description };

    public static Option<string[]> Many(string name, string description) => new(name)
    {
        Description = description + " (repeatable)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Text from the argument, else from standard input when it is piped.</summary>
    public static string? TextOrStdin(CliInvocation inv, string? fromArgument)
    {
        if (!string.IsNullOrEmpty(fromArgument) && fromArgument != "-")
        {
            return fromArgument;
        }
        if (inv.Env.InputRedirected || fromArgument == "-")
        {
            var text = inv.Env.In.ReadToEnd();
            return text.Length == 0 ? null : text.TrimEnd('\r', '\n');
        }
        return null;
    }
}
