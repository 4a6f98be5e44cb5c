using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>
/// The store keeps a read copy of large incidents' evidence in blocks; whatever writes the items, a read
/// must give exactly what the items hold, never what a block held before the write.
/// </summary>
public sealed class EvidenceBlockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-blocks-" + Guid.NewGuid().ToString("N"));

    public EvidenceBlockTests() => Directory.CreateDirectory(_dir);

    private string DbPath => Path.Combine(_dir, "incidents.db");

    private LiteDbIncidentStore Open() => LiteDbIncidentStore.Open(DbPath);

    private static Incident Draft(string id) => new()
    {
        Id = id,
        Title = id,
        Times = new IncidentTimes { Started = new DateTimeOffset(2025, 8, 18, 9, 0, 0, TimeSpan.Zero) },
    };

    private static Evidence Line(string incident, long number, string text) => new()
    {
        IncidentId = incident,
        Number = number,
        Kind = EvidenceKind.LogExcerpt,
        Content = text,
        Source = "/ecs/hokusai-api",
        Time = new DateTimeOffset(2025, 8, 18, 9, 0, 0, TimeSpan.Zero).AddSeconds(number),
        Attributes = new Dictionary<string, string> { ["logGroup"] = "/ecs/hokusai-api", ["logStream"] = $"api/{number % 3}" },
        DedupKey = $"line-{number}",
    };

    private static string Describe(Evidence e) => string.Join(" | ",
        e.IncidentId, e.Number, e.Kind, e.Content, e.Source ?? "<none>", e.Time?.UtcTicks.ToString() ?? "<none>", e.Title ?? "<none>",
        e.Language ?? "<none>", string.Join(",", e.Supports), string.Join(",", e.Refutes),
        string.Join(",", e.Attributes.Select(a => a.Key + "=" + a.Value)), e.DedupKey, e.CollectedAt.UtcTicks);

    /// <summary>Reads twice (the first may build blocks, the second reads them) and compares both with the items.</summary>
    private static List<string> ReadChecked(LiteDbIncidentStore store, string incident)
    {
        var items = store.ListEvidence(incident).Select(Describe).ToList();
        Assert.Equal(items, store.ReadEvidence(incident).Select(Describe));
        Assert.Equal(items, store.ReadEvidence(incident).Select(Describe));
        return items;
    }

    private List<string> StoredBlocks()
    {
        using var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Direct });
        return [.. db.GetCollection("evidence_blocks").FindAll().Select(d => d["_id"].AsString)];
    }

    [Fact]
    public void Whole_blocks_are_kept_and_every_kind_of_write_is_seen_by_the_next_read()
    {
        var size = LiteDbIncidentStore.BlockSize;
        using (var store = Open())
        {
            store.Create(Draft("big"));
            store.Create(Draft("big-2"));
            store.AddEvidence([.. Enumerable.Range(1, (2 * size) + 100).Select(n => Line("big", n, $"line {n}"))]);
            store.AddEvidence([Line("big-2", 1, "the neighbour's only line")]);
            Assert.Equal((2 * size) + 100, ReadChecked(store, "big").Count);
        }
        // Two whole blocks; the part after them is read from the items, and the neighbour is too small for any.
        Assert.Equal(["big/000000000", "big/000000001"], StoredBlocks());

        using (var store = Open())
        {
            // A change in place.
            store.UpdateEvidence("big", 7, e => e with { Supports = ["H1"], Content = "line 7, now linked" });
            Assert.Contains(ReadChecked(store, "big"), d => d.Contains("line 7, now linked") && d.Contains("| H1 |"));

            // Appended items, then a hole filled by number inside a block already kept.
            store.AddEvidence([.. Enumerable.Range((2 * size) + 101, size).Select(n => Line("big", n, $"late {n}"))]);
            ReadChecked(store, "big");
            store.AddEvidence([Line("big", (4 * size) + 10, "far out")]);
            ReadChecked(store, "big");
            store.AddEvidence([Line("big", (3 * size) + 200, "filled a hole")]);
            Assert.Contains(ReadChecked(store, "big"), d => d.Contains("filled a hole"));

            // Another store on the same file (another process) changes an item.
            using (var other = Open())
            {
                other.UpdateEvidence("big", size + 3, e => e with { Refutes = ["H9"] });
            }
            Assert.Contains(ReadChecked(store, "big"), d => d.StartsWith($"big | {size + 3} |", StringComparison.Ordinal) && d.Contains("| H9 |"));

            // A replace keeps fewer items under the same numbers.
            var incident = store.Get("big");
            store.Replace(incident, [.. Enumerable.Range(1, size + 5).Select(n => Line("big", n, $"replaced {n}"))]);
            var replaced = ReadChecked(store, "big");
            Assert.Equal(size + 5, replaced.Count);
            Assert.All(replaced, d => Assert.Contains("replaced", d));
            Assert.Equal(["the neighbour's only line"], store.ReadEvidence("big-2").Select(e => e.Content));
        }
        Assert.Equal(["big/000000000"], StoredBlocks());

        using (var store = Open())
        {
            Assert.True(store.Delete("big"));
            Assert.Empty(store.ReadEvidence("big"));
        }
        Assert.Empty(StoredBlocks());
    }

    [Fact]
    public void A_block_in_a_layout_this_version_does_not_know_is_read_past_and_replaced()
    {
        var size = LiteDbIncidentStore.BlockSize;
        using (var store = Open())
        {
            store.Create(Draft("big"));
            store.AddEvidence([.. Enumerable.Range(1, size + 1).Select(n => Line("big", n, $"line {n}"))]);
        }
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Direct }))
        {
            db.GetCollection("evidence_blocks").Insert(new LiteDB.BsonDocument { ["_id"] = "big/000000000", ["v"] = new byte[] { 99, 1, 2, 3 } });
        }
        using (var store = Open())
        {
            Assert.Equal(size + 1, ReadChecked(store, "big").Count);
        }
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Direct }))
        {
            Assert.Equal(1, db.GetCollection("evidence_blocks").FindById("big/000000000")["v"].AsBinary[0]);
        }
    }

    [Fact]
    public void A_read_inside_a_write_batch_sees_its_items_and_a_dropped_batch_leaves_neither_items_nor_blocks()
    {
        var size = LiteDbIncidentStore.BlockSize;
        using (var store = Open())
        {
            store.Create(Draft("big"));
            using (store.Batch())
            {
                store.AddEvidence([.. Enumerable.Range(1, size + 1).Select(n => Line("big", n, $"line {n}"))]);
                Assert.Equal(size + 1, store.ReadEvidence("big").Count);
                // Disposed without a commit: the batch's items are gone.
            }
            Assert.Empty(store.ReadEvidence("big"));
        }
        Assert.Empty(StoredBlocks());
    }

    [Fact]
    public void A_block_too_large_for_one_document_is_read_from_the_items_and_not_kept()
    {
        var size = LiteDbIncidentStore.BlockSize;
        // 512 pasted command outputs of 20,000 characters: 10 MB in one block, over what one document holds well.
        var big = new string('x', 20_000);
        using (var store = Open())
        {
            store.Create(Draft("big"));
            store.AddEvidence([.. Enumerable.Range(1, size + 1).Select(n => Line("big", n, $"output {n} {big}"))]);
            Assert.Equal(size + 1, ReadChecked(store, "big").Count);
        }
        Assert.Empty(StoredBlocks());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
