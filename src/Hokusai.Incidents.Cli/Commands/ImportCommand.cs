using System.CommandLine;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>import FILE...</c>: case files (JSON) and, through the import feature, Markdown documents.</summary>
public static class ImportCommand
{
    public static Command Create(CliApp app)
    {
        var files = new Argument<string[]>("files") { Description = "Case files (.json) or Markdown documents", Arity = ArgumentArity.OneOrMore };
        var replace = new Option<bool>("--replace") { Description = "Overwrite an existing incident that differs from the case file" };
        var json = Options.Json();
        var command = new Command("import", "Import case files or Markdown investigation documents") { files, replace, json };
        app.SetAction(command, inv =>
        {
            var results = new List<CaseImportResult>();
            var failed = 0;
            foreach (var file in inv.Get(files)!)
            {
                try
                {
                    var path = inv.FullPath(file);
                    if (!File.Exists(path))
                    {
                        throw new InvalidInputException($"{file}: no such file");
                    }
                    var text = File.ReadAllText(path);
                    var caseFile = CaseFile.Parse(text, file);
                    var result = caseFile.ImportInto(inv.Store, inv.Get(replace));
                    inv.Changed(result.IncidentId);
                    results.Add(result);
                    if (!inv.Get(json))
                    {
                        inv.Out.Line($"{file}: {Vocabulary.Word(result.Outcome)} {result.IncidentId} " +
                            $"({result.EvidenceAdded} evidence added, {result.EvidenceSkipped} already there)");
                    }
                }
                catch (InvalidInputException e)
                {
                    // One bad file does not stop the others.
                    inv.Fail(e.Message, e);
                    failed++;
                }
            }
            if (inv.Get(json))
            {
                inv.Out.Json(results);
            }
            return failed == 0 ? 0 : 2;
        });
        return command;
    }
}
