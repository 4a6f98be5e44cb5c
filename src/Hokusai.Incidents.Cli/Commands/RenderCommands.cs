using System.CommandLine;

namespace Hokusai.Incidents.Cli.Commands;

internal static class RenderCommands
{
    public static IEnumerable<Command> Create(CliApp app) => [];
}
