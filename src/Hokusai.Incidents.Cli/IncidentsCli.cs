using System.CommandLine;
using Hokusai.Incidents.Cli.Commands;

namespace Hokusai.Incidents.Cli;

/// <summary>The <c>incidents</c> command tree. A thin shell: every command parses, calls library code and prints.</summary>
public static class IncidentsCli
{
    public static RootCommand Build(CliApp app)
    {
        var root = new RootCommand("Hokusai.Incidents: an incident knowledge base and postmortem generator.")
        {
            app.DbOption,
            app.VerboseOption,
        };
        foreach (var command in new[]
        {
            IncidentCommands.New(app),
            IncidentCommands.List(app),
            IncidentCommands.Show(app),
            IncidentCommands.Update(app),
            IncidentCommands.Delete(app),
            TimelineCommands.Create(app),
            HypothesisCommands.Create(app),
            TaskCommands.Create(app),
            EvidenceCommands.Create(app),
            CaseFileCommands.Export(app),
            ImportCommand.Create(app),
            RedactionCommands.Create(app),
        })
        {
            root.Subcommands.Add(command);
        }
        foreach (var command in FeatureCommands.Create(app))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(ShellCompletion.Create(app));
        ShellCompletion.AddSources(app, root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        var app = new CliApp(env);
        var root = Build(app);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A mistake on the command line is invalid input (exit 2), said in one line like every other.
            var names = new List<string>();
            for (var r = parse.CommandResult; r.Command != root && r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            {
                names.Insert(0, r.Command.Name);
            }
            var command = string.Join(' ', names);
            // What the user typed wrong comes before what is missing because of it.
            var first = parse.Errors.OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1).First();
            var more = parse.Errors.Count > 1 ? $" (and {parse.Errors.Count - 1} more)" : "";
            // The message quotes what was typed, which may be a secret pasted in the wrong place.
            var message = Redaction.Redactor.Default.Redact(first.Message.ReplaceLineEndings(" ").TrimEnd('.'));
            env.Error.WriteLine($"incidents: error: {message}{more}; see 'incidents {command}{(command.Length > 0 ? " " : "")}--help'");
            return 2;
        }
        var config = new InvocationConfiguration
        {
            Output = env.Out,
            Error = env.Error,
            EnableDefaultExceptionHandler = false,
            // Signals are handled below, the same way for every command.
            ProcessTerminationTimeout = null,
        };
        using var signals = env.HandleSignals ? new TerminationSignals(env.Error, cancellationToken) : null;
        return await parse.InvokeAsync(config, signals?.Token ?? cancellationToken).ConfigureAwait(false);
    }
}
