using System.CommandLine;

namespace Hokusai.Incidents.Cli.Commands;

internal static class SearchCommands
{
    public static IEnumerable<Command> Create(CliApp app) => [];
}
