using LiteDB;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// LiteDB conditions with the value passed as a parameter. LiteDB's own <see cref="Query"/> helpers
/// write the value into the expression's text, so every distinct id is parsed and compiled to IL
/// anew (a third of a second per 500 imported documents); with a parameter the text is always the
/// same and LiteDB's expression cache answers. Indexes are used either way.
/// </summary>
internal static class Where
{
    public static BsonExpression Equal(string field, BsonValue value) =>
        BsonExpression.Create($"{field} = @0", value);

    public static BsonExpression Between(string field, BsonValue from, BsonValue to) =>
        BsonExpression.Create($"{field} BETWEEN @0 AND @1", from, to);

    /// <summary>As <see cref="Query.StartsWith"/>: a LIKE pattern, so % and _ in the prefix match anything.</summary>
    public static BsonExpression StartsWith(string field, string prefix) =>
        BsonExpression.Create($"{field} LIKE @0", prefix + "%");

    public static BsonExpression In(string field, IEnumerable<BsonValue> values) =>
        BsonExpression.Create($"{field} IN @0", new BsonArray(values));

    /// <summary>
    /// Whether any document matches. LiteDB's own <c>Exists</c> adds a projection given as text that
    /// it parses and compiles again on every call.
    /// </summary>
    public static bool Any(ILiteCollection<BsonDocument> collection, BsonExpression condition) =>
        collection.Find(condition, 0, 1).Any();
}
