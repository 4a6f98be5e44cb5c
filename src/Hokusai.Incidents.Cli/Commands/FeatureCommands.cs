using System.CommandLine;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>Commands of the feature libraries (render, AWS evidence, search), each group in its own file.</summary>
internal static class FeatureCommands
{
    public static IEnumerable<Command> Create(CliApp app) =>
        [.. RenderCommands.Create(app), .. EvidencePullCommands.Create(app), .. SearchCommands.Create(app),
            DoctorCommand.Create(app),
            .. SiteCommands.Create(app), .. SyncCommands.Create(app),
            .. ReportCommands.Create(app),
            LintCommand.Create(app)];
}
