using System.CommandLine;

namespace Hokusai.Incidents.Cli.Commands;

internal static class EvidencePullCommands
{
    public static IEnumerable<Command> Create(CliApp app) => [];
}
