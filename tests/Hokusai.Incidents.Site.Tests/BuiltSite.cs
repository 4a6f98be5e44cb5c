using Hokusai.Incidents.Rendering;
using Hokusai.Incidents.Rendering.Tests;
using Hokusai.Incidents.Search.Tests;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Site.Tests;

/// <summary>
/// A written knowledge base built into a site once for a test collection: the eight outages of the search
/// tests, the render tests' sample incident with hostile text in every field, and the example incident
/// imported from its case file.
/// </summary>
public sealed class BuiltSite : IDisposable
{
    public const string Example = "2025-08-18-model-registration-failure";

    /// <summary>Markup, Markdown and script in every text field of the sample incident.</summary>
    public const string Hostile =
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a> " +
        "\" onmouseover=\"alert(5) ![i](https://evil.example/p.png) <https://evil.example/a> ```\n# Heading\n<div>\n| c | d |";

    public BuiltSite()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hokusai-site-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "incidents.db");
        SiteDirectory = Path.Combine(Directory, "site");
        using (var store = LiteDbIncidentStore.Open(DatabasePath))
        {
            IncidentIds = Seed(store);
            Result = Build(store, SiteDirectory);
        }
    }

    public string Directory { get; }
    public string DatabasePath { get; }
    public string SiteDirectory { get; }
    public SiteBuildResult Result { get; }

    public IReadOnlyList<string> IncidentIds { get; }

    public string PathOf(string relative) => Path.Combine(SiteDirectory, relative);

    public Uri UriOf(string relative) => new(PathOf(relative));

    /// <summary>Writes the knowledge base into a store; returns its incident ids.</summary>
    public static IReadOnlyList<string> Seed(IIncidentStore store)
    {
        KnowledgeBase.Seed(store);
        var hostile = SampleIncident.Build(s => s + " " + Hostile);
        store.Put(hostile.Incident);
        store.AddEvidence([.. hostile.Evidence]);
        var example = CaseFile.Parse(File.ReadAllText(RepositoryFile($"incidents/{Example}/case.json")), "case.json");
        store.Put(example.Incident);
        store.AddEvidence([.. example.Evidence]);
        return [.. store.List().Select(i => i.Id)];
    }

    public static SiteBuildResult Build(IIncidentStore store, string directory, string title = "Test incidents") =>
        StaticSite.Build(store, Options(directory, title));

    public static SiteOptions Options(string directory, string title = "Test incidents") => new()
    {
        OutputDirectory = directory,
        Title = title,
        Templates = TemplateSet.Load(TemplateSet.FindShipped(AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory()), null),
    };

    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hokusai.Incidents.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<BuiltSite>
{
    public const string Name = "built site";
}
