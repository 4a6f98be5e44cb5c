using Lucene.Net.Documents;
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
    private readonly MemoryIndex _memory = new();

    /// <summary>Whether the item whose number and text are given, of the block <paramref name="block"/>, matches the query.</summary>
    public bool Matches(Document block, long number, string text)
    {
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
            _memory.AddField(field, _memory.KeywordTokenStream(values));
        }
    }
}
