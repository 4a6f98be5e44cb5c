using Hokusai.Incidents.Storage;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>
/// Log events of one stream are indexed together in blocks; a hit must still name the one event that
/// matched, and a block must never let words of two events match as if they were one.
/// </summary>
public sealed class EvidenceBlockTests : IDisposable
{
    private const string Id = "2025-09-01-api-blocks";
    private const string Other = "2025-09-02-worker-blocks";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hokusai-blocks-" + Guid.NewGuid().ToString("N"));
    private readonly IIncidentStore _store;

    public EvidenceBlockTests()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _store = LiteDbIncidentStore.Open(Path.Combine(_directory, "incidents.db"));
        _store.Create(new Incident
        {
            Id = Id,
            Title = "API returning 504",
            Severity = Severity.Sev1,
            Components = new AffectedComponents { Services = ["hokusai-api"] },
            Hypotheses = [new Hypothesis { Number = 1, Title = "Bad deploy" }],
        });
        _store.Create(new Incident
        {
            Id = Other,
            Title = "Worker stuck",
            Severity = Severity.Sev3,
            Components = new AffectedComponents { Services = ["batch-worker"] },
        });
    }

    /// <summary>
    /// Events 1…<paramref name="count"/> of <paramref name="incidentId"/>, alternating between two streams
    /// (odd numbers in stream a, even in b), as CloudWatch returns interleaved streams. Each says its
    /// own number as a word (marker17), so a search can name exactly one event.
    /// </summary>
    private void AddEvents(string incidentId, int first, int count, Func<int, string>? content = null)
    {
        _store.AddEvidence([.. Enumerable.Range(first, count).Select(n => new Evidence
        {
            IncidentId = incidentId,
            Kind = EvidenceKind.LogExcerpt,
            Source = "/ecs/api",
            Content = content?.Invoke(n) ?? $"request served marker{n} in {n} ms",
            DedupKey = $"event-{incidentId}-{n}",
            Attributes = new Dictionary<string, string>
            {
                [EvidenceAttributes.LogGroup] = "/ecs/api",
                [EvidenceAttributes.LogStream] = n % 2 == 1 ? "api/a" : "api/b",
            },
        })]);
    }

    private SearchIndex Index() => SearchIndex.OpenCurrent(_store);

    private static SearchResults Search(SearchIndex index, string query, int limit = 10, Severity? severity = null) =>
        index.Search(new SearchRequest { Query = query, Limit = limit, Severity = severity });

    /// <summary>How many documents hold the incident's evidence: blocks, not events.</summary>
    private int EvidenceDocuments(string incidentId)
    {
        using var directory = FSDirectory.Open(IndexSchema.DirectoryFor(_store.Location));
        using var reader = DirectoryReader.Open(directory);
        var searcher = new Lucene.Net.Search.IndexSearcher(reader);
        return searcher.Search(new Lucene.Net.Search.BooleanQuery
        {
            { new Lucene.Net.Search.TermQuery(new Term(IndexSchema.Incident, incidentId)), Lucene.Net.Search.Occur.MUST },
            { new Lucene.Net.Search.TermQuery(new Term(IndexSchema.Kind, IndexSchema.EvidenceKind)), Lucene.Net.Search.Occur.MUST },
        }, 1000).TotalHits;
    }

    [Fact]
    public void A_hit_inside_a_block_names_the_event_that_matched()
    {
        // Stream a holds 1, 3 … 79: its first block is 1…63 (32 events), its second 65…79; stream b likewise.
        AddEvents(Id, 1, 80);
        using var index = Index();
        Assert.Equal(4, EvidenceDocuments(Id));
        // First, middle and last event of a block, both sides of a block boundary, and the other stream.
        foreach (var n in new[] { 1, 31, 63, 65, 79, 2, 64, 66, 80 })
        {
            var results = Search(index, $"marker{n}");
            var hit = Assert.Single(results.Hits);
            Assert.Equal((Id, "evidence", $"E{n}"), (hit.IncidentId, hit.Kind, hit.Item));
            Assert.Contains($"**marker{n}**", hit.Snippet, StringComparison.Ordinal);
            Assert.DoesNotContain($"marker{n + 2} ", hit.Snippet, StringComparison.Ordinal);
        }
        // Every matching event is its own hit, even when several share a block.
        var all = Search(index, "request served", limit: 100);
        Assert.Equal(80, all.Hits.Count);
        Assert.Equal(Enumerable.Range(1, 80).Select(n => $"E{n}").Order(), all.Hits.Select(h => h.Item).Order());
        // item:e40 names one event of a block too.
        Assert.Equal("E40", Assert.Single(Search(index, "item:e40").Hits).Item);
    }

    [Fact]
    public void Words_of_two_events_never_match_as_one()
    {
        // 1 and 3 are neighbours in stream a's block: "connection" ends one, "refused" starts the next.
        AddEvents(Id, 1, 10, n => n switch
        {
            1 => "upstream closed the connection",
            3 => "refused by peer ECONNRESET",
            5 => "dial tcp: connection refused",
            7 => "certificate checked",
            9 => "token expired",
            _ => $"heartbeat {n}",
        });
        using var index = Index();
        Assert.Equal(2, EvidenceDocuments(Id));

        var phrase = Search(index, "\"connection refused\"");
        Assert.Equal("E5", Assert.Single(phrase.Hits).Item);
        Assert.Empty(Search(index, "\"closed the connection refused\"").Hits);

        // Both words are in the block, but in different events: no event has both, so any-word is tried.
        var both = Search(index, "certificate expired");
        Assert.Equal(SearchResults.AnyWord, both.Match);
        Assert.Equal(new[] { "E7", "E9" }, both.Hits.Select(h => h.Item).Order());
        Assert.Equal(SearchResults.AllWords, Search(index, "token expired").Match);
    }

    [Fact]
    public void An_event_with_every_word_is_found_among_many_blocks_holding_them_apart()
    {
        // 60 blocks per stream each have "certificate" in one event and "expired" in another; only E2399 has both.
        AddEvents(Id, 1, 2_400, n => n == 2_399 ? "certificate expired on the proxy" : (n % 64) switch
        {
            1 => "certificate reloaded",
            3 => "session expired",
            _ => $"heartbeat {n}",
        });
        using var index = Index();
        var results = Search(index, "certificate expired");
        Assert.Equal(SearchResults.AllWords, results.Match);
        Assert.Equal("E2399", Assert.Single(results.Hits).Item);
    }

    [Fact]
    public void Host_port_and_path_phrases_name_the_event_holding_them_whole()
    {
        // Stream a holds the odd events, in one block: the pieces of the address and the path end one
        // event and start its neighbour (1 and 3, 5 and 7); 11 and 13 hold them whole, 15 a near miss.
        AddEvents(Id, 1, 16, n => n switch
        {
            1 => "dial tcp 10.0.3.219",
            3 => "5000 connect: connection refused",
            5 => "probe GET /health",
            7 => "alb answered 404",
            9 => "upstream 10.0.3.219:50001 refused, probe GET /health/albx",
            11 => "upstream connect error: connection refused to 10.0.3.219:5000",
            13 => "target unhealthy: GET https://api.internal/v1/health/alb -> 503",
            _ => $"heartbeat {n}",
        });
        using var index = Index();
        Assert.Equal(2, EvidenceDocuments(Id));

        var address = Search(index, "10.0.3.219:5000");
        Assert.Equal(SearchResults.AllWords, address.Match);
        Assert.Equal("E11", Assert.Single(address.Hits).Item);
        Assert.Contains("**10.0.3.219:5000**", address.Hits[0].Snippet, StringComparison.Ordinal);

        var path = Search(index, "/health/alb");
        Assert.Equal(SearchResults.AllWords, path.Match);
        Assert.Equal("E13", Assert.Single(path.Hits).Item);
        Assert.Contains("/v1/**health/alb**", path.Hits[0].Snippet, StringComparison.Ordinal);

        Assert.Equal("E11", Assert.Single(Search(index, "\"refused to 10.0.3.219:5000\"").Hits).Item);
        Assert.Equal("E3", Assert.Single(Search(index, "\"5000 connect\"").Hits).Item);
    }

    [Fact]
    public void Events_with_long_titles_are_still_named_exactly()
    {
        // Every event repeats its title in the indexed text, here 1,500 one-letter words: a block of
        // 32 such events would hold more positions than lie between two events, and a hit would be
        // put on the wrong event. Titles count towards a block's size, so blocks stay small enough.
        var title = string.Join(' ', Enumerable.Repeat("x", 1_500));
        _store.AddEvidence([.. Enumerable.Range(1, 40).Select(n => new Evidence
        {
            IncidentId = Id,
            Kind = EvidenceKind.LogExcerpt,
            Title = title,
            Source = "/ecs/api",
            Content = $"request served marker{n} in {n} ms",
            DedupKey = $"titled-{n}",
            Attributes = new Dictionary<string, string> { [EvidenceAttributes.LogStream] = "api/a" },
        })]);
        using var index = Index();
        Assert.True(EvidenceDocuments(Id) > 1);
        foreach (var n in new[] { 1, 2, 3, 20, 39, 40 })
        {
            Assert.Equal($"E{n}", Assert.Single(Search(index, $"marker{n}").Hits).Item);
            Assert.Equal($"E{n}", Assert.Single(Search(index, $"\"served marker{n}\"").Hits).Item);
        }
    }

    [Fact]
    public void Words_far_apart_in_one_long_text_still_match_it_with_every_word()
    {
        // 10,000 words between them: more positions than lie between two events of a block, in one
        // piece of evidence (a block of its own) and in one incident's summary, which are not blocks.
        var filler = string.Join(' ', Enumerable.Repeat("lorem", 10_000));
        AddEvents(Id, 1, 3, n => n == 2 ? $"keystore opened {filler} then rotated" : $"heartbeat {n}");
        _store.Update(Other, i => i with { Summary = $"quota raised {filler} then throttled" });
        using var index = Index();

        var evidence = Search(index, "keystore rotated");
        Assert.Equal(SearchResults.AllWords, evidence.Match);
        Assert.Equal((Id, "E2"), (Assert.Single(evidence.Hits).IncidentId, evidence.Hits[0].Item));
        var summary = Search(index, "quota throttled");
        Assert.Equal(SearchResults.AllWords, summary.Match);
        Assert.Equal((Other, "incident"), (Assert.Single(summary.Hits).IncidentId, summary.Hits[0].Item));
    }

    [Fact]
    public void Filters_apply_to_events_in_blocks()
    {
        AddEvents(Id, 1, 40);
        AddEvents(Other, 1, 40);
        using var index = Index();
        var sev1 = Search(index, "marker7", severity: Severity.Sev1);
        Assert.Equal((Id, "E7"), (Assert.Single(sev1.Hits).IncidentId, sev1.Hits[0].Item));
        Assert.Equal(Other, Assert.Single(index.Search(new SearchRequest { Query = "marker7", Service = "worker" }).Hits).IncidentId);
        Assert.Empty(index.Search(new SearchRequest { Query = "marker7", Kind = "task" }).Hits);
        Assert.Equal(Other, Assert.Single(Search(index, "marker7 incident:" + Other).Hits).IncidentId);
        Assert.Empty(Search(index, "marker7 severity:sev2").Hits);
        Assert.Equal(2, Search(index, "marker7 kind:evidence").Hits.Count);
    }

    [Fact]
    public void Evidence_added_later_starts_new_blocks_and_is_found()
    {
        AddEvents(Id, 1, 10);
        using (var index = Index())
        {
            Assert.Equal("E9", Assert.Single(Search(index, "marker9").Hits).Item);
        }
        AddEvents(Id, 11, 10);
        SearchIndex.IncidentChanged(_store, Id);
        // Blocks never span two index updates: the first attach's two blocks stay, the second adds two.
        Assert.Equal(4, EvidenceDocuments(Id));
        using (var index = Index())
        {
            foreach (var n in new[] { 1, 9, 10, 11, 19, 20 })
            {
                Assert.Equal($"E{n}", Assert.Single(Search(index, $"marker{n}").Hits).Item);
            }
            Assert.Equal(20, Search(index, "served", limit: 50).Hits.Count);
        }
        // Attaching the same events again stores and indexes nothing more.
        AddEvents(Id, 11, 10);
        SearchIndex.IncidentChanged(_store, Id);
        Assert.Equal(4, EvidenceDocuments(Id));
    }

    [Fact]
    public void A_link_changed_on_one_event_is_searchable_and_its_block_neighbours_stay()
    {
        AddEvents(Id, 1, 10);
        using (Index())
        {
        }
        _store.UpdateEvidence(Id, 5, e => e with { Supports = ["H1"] });
        SearchIndex.EvidenceChanged(_store, Id, 5);
        using var index = Index();
        Assert.Equal("E5", Assert.Single(Search(index, "supports H1").Hits).Item);
        foreach (var n in Enumerable.Range(1, 10))
        {
            Assert.Equal($"E{n}", Assert.Single(Search(index, $"marker{n}").Hits).Item);
        }
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
