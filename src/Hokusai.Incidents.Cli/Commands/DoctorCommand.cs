using System.CommandLine;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>
/// <c>doctor --out NEW.db</c>: says whether the database is healthy and copies what can still be read
/// into a new database. It never opens the damaged file with LiteDB, so it never changes it.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CliApp app)
    {
        var output = new Option<string?>("--out")
        {
            Description = "New database file to copy every readable incident and its evidence into (must not exist)",
        };
        var command = new Command("doctor", "Check the database file and salvage what can be read into a new one") { output };
        app.SetAction(command, (inv, ct) =>
        {
            var source = inv.FullPath(inv.DatabasePath);
            if (!File.Exists(source))
            {
                throw new InvalidInputException($"no database at '{source}'");
            }
            var problem = StoreFileCheck.Problem(source, allPages: true);
            inv.Out.Line(problem is null ? $"{source}: healthy" : $"{source}: {problem}");
            if (inv.Get(output) is not { } target)
            {
                if (problem is not null)
                {
                    inv.Notice("give --out NEW.db to copy what can still be read into a new database");
                }
                return Task.FromResult(problem is null ? 0 : 4);
            }
            var full = inv.FullPath(target);
            var report = StoreSalvage.CopyReadable(source, full, ct);
            foreach (var p in report.Problems)
            {
                inv.Warn(p);
            }
            inv.Out.Line($"copied {report.Incidents} incident(s), {report.Evidence:N0} piece(s) of evidence and {report.RedactionPatterns} redaction pattern(s) into {full}" +
                (report.UnreadableIncidents > 0 ? $"; {report.UnreadableIncidents} incident(s) could not be read" : "") +
                $"; {source} was not changed");
            return Task.FromResult(0);
        });
        return command;
    }
}
