using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>The written knowledge base in a temporary store, indexed once for a test class.</summary>
public sealed class SeededKnowledgeBase : IDisposable
{
    public SeededKnowledgeBase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hokusai-search-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Store = LiteDbIncidentStore.Open(Path.Combine(Directory, "incidents.db"));
        KnowledgeBase.Seed(Store);
        Index = SearchIndex.OpenCurrent(Store);
    }

    public string Directory { get; }
    public IIncidentStore Store { get; }
    public SearchIndex Index { get; }

    public SearchResults Search(string query, int limit = 10) => Index.Search(new SearchRequest { Query = query, Limit = limit });

    public void Dispose()
    {
        Index.Dispose();
        Store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
