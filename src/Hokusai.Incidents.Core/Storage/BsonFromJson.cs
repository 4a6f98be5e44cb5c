using System.Text.Json;
using LiteDB;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// Builds a BSON document straight from UTF-8 JSON, as LiteDB's own JSON reader would for the JSON our
/// serializer writes (strings, numbers as Int32, Int64 or Double, booleans, nulls, objects, arrays),
/// without first turning the bytes into a string and tokenizing it again; that round trip was a
/// quarter of storing an imported incident.
/// </summary>
internal static class BsonFromJson
{
    public static BsonDocument Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidOperationException("a record must serialize to a JSON object");
        }
        return ReadValue(ref reader).AsDocument;
    }

    private static BsonValue ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var doc = new BsonDocument();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    doc[name] = ReadValue(ref reader);
                }
                return doc;
            case JsonTokenType.StartArray:
                var array = new BsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader));
                }
                return array;
            case JsonTokenType.String:
                return new BsonValue(reader.GetString());
            case JsonTokenType.Number:
                // LiteDB reads an integer as Int32 when it fits, else Int64, and anything else as Double.
                if (reader.TryGetInt32(out var i))
                {
                    return new BsonValue(i);
                }
                return reader.TryGetInt64(out var l) ? new BsonValue(l) : new BsonValue(reader.GetDouble());
            case JsonTokenType.True:
                return new BsonValue(true);
            case JsonTokenType.False:
                return new BsonValue(false);
            default:
                return BsonValue.Null;
        }
    }
}
