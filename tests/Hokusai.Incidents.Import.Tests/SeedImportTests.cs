using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Import.Tests;

/// <summary>
/// The five seed documents, imported as a user would: they must make one incident holding every
/// checklist item of fix-tasks.md and every hypothesis, with the API key redacted. When
/// $HOKUSAI_SEED_DB names a database that .ci/check-seed-import.sh filled with the built CLI, that
/// database is checked instead of importing in-process.
/// </summary>
public sealed class SeedImportTests
{
    private const string ApiKey = "hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN";

    [SeedsFact]
    public void Five_seed_documents_make_one_complete_incident_with_the_api_key_redacted()
    {
        var external = System.Environment.GetEnvironmentVariable("HOKUSAI_SEED_DB");
        using var h = new CliHarness();
        var db = string.IsNullOrEmpty(external) ? h.DatabasePath : Path.GetFullPath(external);
        if (string.IsNullOrEmpty(external))
        {
            h.Run(["import", .. Seeds.Names.Select(Seeds.PathOf), "--json"]).ShouldSucceed();
            // A second import of the same documents must change nothing.
            h.Run(["import", .. Seeds.Names.Select(Seeds.PathOf)]).ShouldSucceed();
        }
        Incident incident;
        long evidence;
        using (var store = LiteDbIncidentStore.Open(db))
        {
            var all = store.List();
            incident = Assert.Single(all);
            evidence = store.CountEvidence(incident.Id);
        }
        var seedText = File.ReadAllText(Seeds.PathOf("fix-tasks.md"));

        Assert.Equal(93, incident.Tasks.Count);
        Assert.Equal(24, incident.Tasks.Count(t => t.Parent is null));
        Assert.Equal(69, incident.Tasks.Count(t => t.Parent is not null));
        Assert.All(incident.Tasks.Where(t => t.Parent is not null), t => Assert.Contains(incident.Tasks, p => p.Number == t.Parent && p.Parent is null));
        Assert.Equal(CountOf(seedText, "[x]"), incident.Tasks.Count(t => t.Done));
        Assert.Equal(4, incident.RollbackPlan.Count);
        Assert.Equal(5, incident.SuccessCriteria.Count);
        Assert.Equal(93 + 4 + 5, CountOf(seedText, "[ ]") + CountOf(seedText, "[x]"));

        var first = incident.Tasks.Single(t => t.Title == "Verify syntax error is fixed in current codebase");
        Assert.Equal(Priority.P1, first.Priority);
        Assert.Equal("Immediate Fix", first.Group);
        Assert.Equal("1. Fix Syntax Error and Deploy", first.Section);
        Assert.Equal(3, incident.ChildrenOf(first.Number).Count());
        Assert.Equal(3, incident.TaskSequence.Count);

        Assert.Equal([1, 2, 3, 4, 5], incident.Hypotheses.Select(x => x.Number));
        Assert.Equal([85, 80, 60, 40, 20], incident.Hypotheses.Select(x => x.Confidence ?? -1));
        Assert.All(incident.Hypotheses, x => Assert.NotNull(x.TestMethod.ExpectedIfTrue));

        Assert.Equal(Severity.Sev1, incident.Severity);
        Assert.True(evidence >= 10, $"expected the endpoint checks and log excerpts as evidence, found {evidence}");

        var bytes = Directory.GetFiles(Path.GetDirectoryName(db)!, Path.GetFileNameWithoutExtension(db) + "*").SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(bytes.Length > 0);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(ApiKey)));
    }

    [SeedsFact]
    public void Every_seed_is_read_without_warnings_and_recognises_more_than_notes()
    {
        foreach (var name in Seeds.Names)
        {
            var doc = MarkdownInvestigationReader.Read(File.ReadAllBytes(Seeds.PathOf(name)), name);
            Assert.Empty(doc.Warnings);
            Assert.Contains(doc.Placements, p => p.Target != "note");
        }
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}
