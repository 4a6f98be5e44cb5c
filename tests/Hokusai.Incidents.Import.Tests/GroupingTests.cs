using Hokusai.Incidents.Import.Grouping;

namespace Hokusai.Incidents.Import.Tests;

/// <summary>Which documents make which incident, decided from what the documents are about.</summary>
public sealed class GroupingTests
{
    [SeedsFact]
    public void The_five_seed_documents_are_about_one_incident()
    {
        var docs = Seeds.Names.Select(n => MarkdownInvestigationReader.Read(File.ReadAllBytes(Seeds.PathOf(n)), n)).ToList();
        var groups = DocumentGrouping.Group(docs, [], GroupingMode.BySubject);
        var subjects = string.Join("\n", docs.Select(d => $"{d.FileName}: {IncidentSubject.Of(d.Incident).Date} [{string.Join(", ", IncidentSubject.Of(d.Incident).TitleWords)}] [{string.Join(", ", IncidentSubject.Of(d.Incident).Identifiers)}]"));
        Assert.True(groups.Count == 1, subjects);
    }

    private static ImportedDocument Doc(string name, string markdown) =>
        MarkdownInvestigationReader.Read(System.Text.Encoding.UTF8.GetBytes(markdown), name);

    [Fact]
    public void Titles_naming_different_services_stay_apart_however_many_words_they_share()
    {
        var docs = new[]
        {
            Doc("a.md", "# Cache-resolver-1 dropped messages\n\nThe consumer stalled.\n"),
            Doc("b.md", "# Resolver-worker-66 dropped messages\n\nThe consumer stalled too.\n"),
            Doc("c.md", "# Fix tasks: cache-resolver-1 dropped messages\n\n- [ ] Add a lag alert\n"),
        };
        var groups = DocumentGrouping.Group(docs, [], GroupingMode.BySubject);
        Assert.Equal(
            [["a.md", "c.md"], ["b.md"]],
            groups.Select(g => g.Documents.Select(d => d.Document.FileName).Order(StringComparer.Ordinal).ToArray()).OrderBy(g => g[0], StringComparer.Ordinal).ToArray());
    }
}
