using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>
/// A one-shot search skips opening the database while the database's files are as they were when the
/// index was last found current; any write after that must still reach the results.
/// </summary>
public sealed class StoreStampTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hokusai-stamp-" + Guid.NewGuid().ToString("N"));
    private readonly string _database;
    private readonly IIncidentStore _store;
    private int _opened;

    public StoreStampTests()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _database = Path.Combine(_directory, "incidents.db");
        // Closed after seeding, so LiteDB's log is folded into the file now rather than during a test.
        using (var seeding = LiteDbIncidentStore.Open(_database))
        {
            KnowledgeBase.Seed(seeding);
            using (SearchIndex.OpenCurrent(seeding))
            {
            }
        }
        _store = LiteDbIncidentStore.Open(_database);
    }

    private IIncidentStore Store()
    {
        _opened++;
        return _store;
    }

    /// <summary>The database's files as if last written a minute ago, so their times can be trusted.</summary>
    private void Settle()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(_directory, "incidents*.db"))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
        }
    }

    private SearchResults Search(string query)
    {
        using var index = SearchIndex.OpenCurrent(_database, Store);
        return index.Search(new SearchRequest { Query = query });
    }

    [Fact]
    public void An_unchanged_database_is_not_opened_after_the_first_search()
    {
        Settle();
        Assert.NotEmpty(Search("ECONNREFUSED").Hits);
        Assert.Equal(1, _opened);
        Assert.NotEmpty(Search("OOMKilled").Hits);
        Assert.True(SearchIndex.IsCurrent(_database, Store));
        Assert.Equal(1, _opened);
    }

    [Fact]
    public void A_write_after_the_stamp_is_found_even_when_nothing_updated_the_index()
    {
        Settle();
        Search("ECONNREFUSED");
        Assert.Equal(1, _opened);
        // Another process wrote and (say) was killed before updating the index.
        _store.AddEvidence([new Evidence { IncidentId = KnowledgeBase.Redis, Kind = EvidenceKind.LogExcerpt, Content = "zanzibar handshake failed" }]);
        var hit = Assert.Single(Search("zanzibar").Hits);
        Assert.Equal(KnowledgeBase.Redis, hit.IncidentId);
        Assert.True(_opened > 1, "the changed database was not read");
    }

    [Fact]
    public void Files_written_just_now_are_not_trusted()
    {
        // Fresh files could change again within the same tick of the file system's clock, keeping their size.
        Search("ECONNREFUSED");
        Search("ECONNREFUSED");
        Assert.Equal(2, _opened);
    }

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
