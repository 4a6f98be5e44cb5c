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
        var config = new InvocationConfiguration
        {
            Output = env.Out,
            Error = env.Error,
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
    }
}
