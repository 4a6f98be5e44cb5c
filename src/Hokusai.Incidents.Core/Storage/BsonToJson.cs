using System.Buffers;
using System.Text.Json;
using LiteDB;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// Writes an incident stored by schema version 1 or 2 (a BSON field per member, made from its JSON) back
/// as UTF-8 JSON for the serializer to read: LiteDB's own writer builds a string first (with its own
/// notation for Int64), which the serializer then had to transcode.
/// </summary>
internal static class BsonToJson
{
    /// <summary>The document's fields but <paramref name="skip"/> as one JSON object.</summary>
    public static ReadOnlyMemory<byte> Write(BsonDocument doc, string skip)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            WriteObject(writer, doc, skip);
        }
        return buffer.WrittenMemory;
    }

    private static void WriteObject(Utf8JsonWriter writer, BsonDocument doc, string? skip)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in doc)
        {
            if (name != skip)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, BsonValue value)
    {
        switch (value.Type)
        {
            case BsonType.Document:
                WriteObject(writer, value.AsDocument, skip: null);
                break;
            case BsonType.Array:
                writer.WriteStartArray();
                foreach (var item in value.AsArray)
                {
                    WriteValue(writer, item);
                }
                writer.WriteEndArray();
                break;
            case BsonType.String:
                writer.WriteStringValue(value.AsString);
                break;
            case BsonType.Int32:
                writer.WriteNumberValue(value.AsInt32);
                break;
            case BsonType.Int64:
                writer.WriteNumberValue(value.AsInt64);
                break;
            case BsonType.Double:
                writer.WriteNumberValue(value.AsDouble);
                break;
            case BsonType.Decimal:
                writer.WriteNumberValue(value.AsDecimal);
                break;
            case BsonType.Boolean:
                writer.WriteBooleanValue(value.AsBoolean);
                break;
            case BsonType.DateTime:
                // Not written by our serializer; kept readable if a hand-edited record holds one.
                writer.WriteStringValue(value.AsDateTime.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case BsonType.Null or BsonType.MinValue or BsonType.MaxValue:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
