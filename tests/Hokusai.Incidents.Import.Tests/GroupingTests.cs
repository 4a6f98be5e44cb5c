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
}
