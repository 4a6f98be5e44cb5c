using LiteDB;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// A read copy of an incident's evidence in blocks of <see cref="BlockSize"/> numbers, one document each.
/// LiteDB spends about 3.6 KB of short-lived objects (index nodes, page views, a dictionary per document)
/// on every document it reads, whatever its size: reading 10,000 log events one document each took most
/// of a large render, two thirds of it in the collector and in page faults, while the same items in 20
/// blocks read with a quarter of the garbage. The items stay the record (keys, links and numbers are
/// looked up and written there); a block is only ever a copy. Every write to an item drops the block
/// holding its number in the same transaction, and a reader rebuilds a missing block from the items, so
/// a block that exists always matches them. Only whole blocks below an incident's last number are kept:
/// appended evidence (a `logs follow`) never lands in a kept block, and small incidents keep none.
/// </summary>
public sealed partial class LiteDbIncidentStore
{
    private const string EvidenceBlocks = "evidence_blocks";

    /// <summary>Numbers per block: small enough that changing one item rewrites little, large enough to read in few documents.</summary>
    public const int BlockSize = 512;

    /// <summary>A block larger than this is not kept (LiteDB refuses documents over 16 MB).</summary>
    private const int BlockBytesLimit = 8 << 20;

    private static string BlockId(string incidentId, long index) => $"{incidentId}/{index:D9}";

    private static long BlockOf(long number) => (number - 1) / BlockSize;

    /// <summary>Drops the blocks holding <paramref name="numbers"/>; called by every write to those items.</summary>
    private void DropBlocks(string incidentId, IEnumerable<long> numbers)
    {
        var col = Db.GetCollection(EvidenceBlocks);
        foreach (var index in numbers.Where(n => n > 0).Select(BlockOf).Distinct())
        {
            col.Delete(BlockId(incidentId, index));
        }
    }

    private void DropAllBlocks(string incidentId) =>
        Db.GetCollection(EvidenceBlocks).DeleteMany(Where.StartsWith("_id", EvidencePrefix(incidentId)));

    public IReadOnlyList<Evidence> ReadEvidence(string incidentId) => Guard(() =>
    {
        var col = Db.GetCollection(EvidenceCollection);
        var all = Where.Between("_id", EvidenceId(incidentId, 1), EvidenceId(incidentId, 999_999_999_999));
        var last = col.Query().Where(all).OrderByDescending("_id").Limit(1).FirstOrDefault();
        if (last is null)
        {
            return (IReadOnlyList<Evidence>)[];
        }
        var top = FromEvidenceDocument(last).Number;
        var blocks = (int)BlockOf(top) + 1;
        // Whole blocks below the last number; inside a write batch only this thread's transaction sees
        // the batch's writes, so it reads alone and keeps nothing (the batch may still be dropped).
        var keepable = _batch is null ? (int)(top / BlockSize) : 0;
        var blockCol = Db.GetCollection(EvidenceBlocks);
        var parts = new List<Evidence>[blocks];
        var made = new byte[]?[blocks];
        void Read(int index)
        {
            var shared = new Dictionary<string, string>(StringComparer.Ordinal);
            if (index < keepable
                && blockCol.FindById(BlockId(incidentId, index)) is { } block
                && block[StoredEvidence.Field] is { IsBinary: true } value
                && StoredEvidence.DecodeBlock(incidentId, value.AsBinary, shared) is { } kept)
            {
                parts[index] = kept;
                return;
            }
            var from = ((long)index * BlockSize) + 1;
            var to = Math.Min(top, from + BlockSize - 1);
            var items = new List<Evidence>((int)(to - from + 1));
            foreach (var doc in col.Find(Where.Between("_id", EvidenceId(incidentId, from), EvidenceId(incidentId, to))))
            {
                items.Add(FromEvidenceDocument(doc, shared));
            }
            parts[index] = items;
            if (index < keepable)
            {
                made[index] = StoredEvidence.EncodeBlock(items);
            }
        }
        // LiteDB serves several readers on one database at once: each core reads and decodes its own blocks.
        var readers = _batch is not null || top < ParallelReadMinimum ? 1 : Math.Min(Environment.ProcessorCount, 4);
        if (readers == 1 || blocks == 1)
        {
            for (var i = 0; i < blocks; i++)
            {
                Read(i);
            }
        }
        else
        {
            try
            {
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = readers }, Read);
            }
            catch (AggregateException e)
            {
                // A block fails as the read would alone (a damaged page): Guard and the CLI know that one.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
            }
        }
        KeepBlocks(incidentId, made);
        var result = new List<Evidence>(parts.Sum(r => r.Count));
        foreach (var part in parts)
        {
            result.AddRange(part);
        }
        return (IReadOnlyList<Evidence>)result;
    });

    /// <summary>Below this many evidence items one reader is as fast as several.</summary>
    private const long ParallelReadMinimum = 2_000;

    private void KeepBlocks(string incidentId, byte[]?[] made)
    {
        if (!made.Any(b => b is not null))
        {
            return;
        }
        try
        {
            // Not a change: the items are as they were, so the sync and search sequences stay put.
            Write(() =>
            {
                var col = Db.GetCollection(EvidenceBlocks);
                for (var i = 0; i < made.Length; i++)
                {
                    if (made[i] is { Length: <= BlockBytesLimit } bytes)
                    {
                        col.Upsert(new BsonDocument { ["_id"] = BlockId(incidentId, i), [StoredEvidence.Field] = bytes });
                    }
                }
                return 0;
            }, countsAsChange: false, keepsKnownKeys: true);
        }
        catch (StoreException)
        {
            // The copy only saves the next reader time; a full disk must not fail the read that has its items.
        }
    }
}
