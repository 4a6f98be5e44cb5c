using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Index.Memory;
using Lucene.Net.Search;

namespace Hokusai.Incidents.Search;

/// <summary>
/// Tells which items of a matching evidence block match the query by themselves. The block matched
/// as a whole, but "every word in the same item" is about one log event, not one block: each item is
/// put, with the fields the block gives it, into a one-document in-memory index and the very same
/// query is run against it, so any query shape (phrases, prefixes, fields, NOT) is judged exactly as
/// it would be on an index of single items.
/// </summary>
internal sealed class BlockItemMatcher(Query query, TechnicalAnalyzer analyzer)
{
    private MemoryIndex? _memory;

    /// <summary>
    /// The items of a block that can match at all, from where the query's text terms occur in it (an
    /// item's positions start at its index times <see cref="TechnicalAnalyzer.ValueGap"/>); null when
    /// the query gives no such bound, or the document is not a block of several items (one long text
    /// has positions past the gap without any second item). Only these are judged one by one: a
    /// block whose words all occur, but never in one item, costs a few postings lookups instead of an
    /// in-memory index per item.
    /// </summary>
    public HashSet<int>? Candidates(AtomicReader reader, int doc) =>
        reader.GetNumericDocValues(IndexSchema.ItemCount)?.Get(doc) > 1 ? Candidates(query, reader, doc) : null;

    private static HashSet<int>? Candidates(Query q, AtomicReader reader, int doc)
    {
        switch (q)
        {
            case TermQuery t when t.Term.Field == IndexSchema.Text:
                return ItemsWith(t.Term, reader, doc);
            case PhraseQuery p when p.GetTerms().Length > 0 && p.GetTerms()[0].Field == IndexSchema.Text:
                return Intersect(p.GetTerms().Select(t => ItemsWith(t, reader, doc)));
            case BooleanQuery b when b.MinimumNumberShouldMatch == 0:
                var must = b.Clauses.Where(c => c.Occur == Occur.MUST).ToList();
                if (must.Count > 0)
                {
                    return Intersect(must.Select(c => Candidates(c.Query, reader, doc)));
                }
                var should = b.Clauses.Where(c => c.Occur == Occur.SHOULD).Select(c => Candidates(c.Query, reader, doc)).ToList();
                if (should.Count == 0 || should.Any(s => s is null))
                {
                    return null;
                }
                return [.. should.SelectMany(s => s!)];
            default:
                return null;
        }
    }

    /// <summary>Intersection of the bounds given; null bounds (no information) are left out.</summary>
    private static HashSet<int>? Intersect(IEnumerable<HashSet<int>?> sets)
    {
        HashSet<int>? result = null;
        foreach (var s in sets)
        {
            if (s is null)
            {
                continue;
            }
            if (result is null)
            {
                result = [.. s];
            }
            else
            {
                result.IntersectWith(s);
            }
        }
        return result;
    }

    private static HashSet<int> ItemsWith(Term term, AtomicReader reader, int doc)
    {
        var items = new HashSet<int>();
        var positions = reader.GetTermPositionsEnum(term);
        if (positions is null || positions.Advance(doc) != doc)
        {
            return items;
        }
        for (var i = 0; i < positions.Freq; i++)
        {
            items.Add(positions.NextPosition() / TechnicalAnalyzer.ValueGap);
        }
        return items;
    }

    /// <summary>Whether the item whose number and text are given, of the block <paramref name="block"/>, matches the query.</summary>
    public bool Matches(Document block, long number, string text)
    {
        _memory ??= new MemoryIndex();
        _memory.Reset();
        var title = block.Get(IndexSchema.Title);
        _memory.AddField(IndexSchema.Text, string.IsNullOrWhiteSpace(title) ? text : title + "\n" + text, analyzer);
        if (!string.IsNullOrWhiteSpace(title))
        {
            _memory.AddField(IndexSchema.Title, title, analyzer);
        }
        if (block.Get(IndexSchema.Source) is { } source)
        {
            _memory.AddField(IndexSchema.Source, source, analyzer);
        }
        Keywords(IndexSchema.Item, ["e" + number.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Keywords(IndexSchema.Incident, block.GetValues(IndexSchema.Incident));
        Keywords(IndexSchema.Kind, block.GetValues(IndexSchema.Kind));
        Keywords(IndexSchema.Severity, block.GetValues(IndexSchema.Severity));
        Keywords(IndexSchema.Status, block.GetValues(IndexSchema.Status));
        Keywords(IndexSchema.Service, block.GetValues(IndexSchema.Service));
        return _memory.Search(query) > 0;
    }

    private void Keywords(string field, string[] values)
    {
        if (values.Length > 0)
        {
            _memory!.AddField(field, _memory.KeywordTokenStream(values));
        }
    }
}
