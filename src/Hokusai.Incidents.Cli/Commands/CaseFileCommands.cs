using System.CommandLine;
using Hokusai.Incidents.Files;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Cli.Commands;

public static class CaseFileCommands
{
    public static Command Export(CliApp app)
    {
        var id = Options.IncidentId();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output ('-' is standard output)" };
        var force = new Option<bool>("--force") { Description = "Replace the output file if it exists" };
        var command = new Command("export", "Write an incident and its evidence as a portable JSON case file") { id, output, force };
        app.SetAction(command, inv =>
        {
            var path = inv.Get(output) is { } o && o != "-" ? inv.FullPath(o) : null;
            // Checked before anything is read: the database itself is never an output.
            var target = path is null ? null : OutputFile.Check(path, inv.Get(force), inv.DatabaseFiles);
            var json = CaseFile.FromStore(inv.Store, inv.Get(id)!).ToJson();
            if (target is not null)
            {
                OutputFile.Write(target, json);
                inv.Notice($"wrote {target.Target}");
            }
            else
            {
                inv.Env.Out.Write(json);
            }
            return 0;
        });
        return command;
    }
}
