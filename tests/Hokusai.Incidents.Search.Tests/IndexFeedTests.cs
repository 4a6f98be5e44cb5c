using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>The index fed on another thread while a long write goes on (an archive import).</summary>
public sealed class IndexFeedTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"hokusai-feed-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LiteDbIncidentStore OpenStore() => LiteDbIncidentStore.Open(Path.Combine(_dir, "incidents.db"));

    private static Incident Written(IIncidentStore store, string id, string title, string log)
    {
        store.Create(new Incident { Id = id, Title = title, Severity = Severity.Sev2 });
        store.AddEvidence([new Evidence { IncidentId = id, Kind = EvidenceKind.LogExcerpt, Content = log }]);
        return store.Get(id);
    }

    private static SearchResults Search(IIncidentStore store, string query, int limit = 10)
    {
        using var index = SearchIndex.OpenCurrent(store, notice: m => Assert.Fail($"the fed index was not current: {m}"));
        return index.Search(new SearchRequest { Query = query, Limit = limit });
    }

    [Fact]
    public void Incidents_fed_while_writing_are_searchable_without_a_rebuild_and_the_index_is_current()
    {
        using var store = OpenStore();
        using (var feed = IndexFeed.Start(store))
        {
            Assert.NotNull(feed);
            for (var n = 1; n <= 30; n++)
            {
                var before = store.ChangeSequence;
                var i = Written(store, $"inc-{n}", $"Queue consumer {n} stalled", $"consumer-{n} lag exceeded 90s on partition {n}");
                // Every change is the writer's own and handed over: the end needs no catch-up.
                feed.OwnChanges(store.ChangeSequence - before);
                feed.Written(i, [.. store.ListEvidence(i.Id)]);
            }
            feed.Finish(store);
        }
        Assert.True(SearchIndex.IsCurrent(store));
        var hit = Assert.Single(Search(store, "consumer-17").Hits, h => h.Kind == IndexSchema.EvidenceKind);
        Assert.Equal("inc-17", hit.IncidentId);
        Assert.Equal("E1", hit.Item);
        Assert.Equal(30, Search(store, "stalled", limit: 100).Hits.Select(h => h.IncidentId).Distinct().Count());
    }

    [Fact]
    public void A_write_the_feed_was_not_told_about_and_a_changed_incident_are_caught_up_at_the_end()
    {
        using var store = OpenStore();
        Written(store, "before", "Old outage of the ledger", "ledger replica fell behind");
        using (var index = SearchIndex.OpenCurrent(store))
        {
        }
        using (var feed = IndexFeed.Start(store))
        {
            Assert.NotNull(feed);
            var before = store.ChangeSequence;
            var fed = Written(store, "fed", "Mailer bounced every message", "smtp 554 rejected");
            feed.OwnChanges(store.ChangeSequence - before);
            feed.Written(fed, [.. store.ListEvidence("fed")]);
            // Another process's writes meanwhile: a new incident and a change to the one fed above.
            Written(store, "unseen", "Tiles origin returned 500", "origin-tiles-us 500 on /z/4");
            store.Update("fed", i => i with { Summary = "greylisting by the receiving relay" });
            feed.Finish(store);
        }
        Assert.Equal("unseen", Search(store, "origin-tiles-us").Hits[0].IncidentId);
        Assert.Equal("fed", Search(store, "greylisting").Hits[0].IncidentId);
        Assert.Equal("before", Search(store, "ledger replica").Hits[0].IncidentId);
    }

    [Fact]
    public void A_missing_index_of_a_store_that_already_holds_incidents_is_left_to_a_rebuild()
    {
        using var store = OpenStore();
        Written(store, "before", "Old outage of the ledger", "ledger replica fell behind");
        Assert.Null(IndexFeed.Start(store));
    }
}
