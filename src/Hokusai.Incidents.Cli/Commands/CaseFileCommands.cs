using System.CommandLine;
using System.Text;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Cli.Commands;

public static class CaseFileCommands
{
    public static Command Export(CliApp app)
    {
        var id = Options.IncidentId();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Write an incident and its evidence as a portable JSON case file") { id, output };
        app.SetAction(command, inv =>
        {
            var json = CaseFile.FromStore(inv.Store, inv.Get(id)!).ToJson();
            if (inv.Get(output) is { } path)
            {
                var full = inv.FullPath(path);
                WriteAtomically(full, json);
                inv.Notice($"wrote {full}");
            }
            else
            {
                inv.Env.Out.Write(json);
            }
            return 0;
        });
        return command;
    }

    /// <summary>Writes beside the target then renames, so a failed write never leaves half a file.</summary>
    internal static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            var dir = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
            throw new InvalidInputException($"cannot write '{path}': {e.Message}", e);
        }
    }
}
