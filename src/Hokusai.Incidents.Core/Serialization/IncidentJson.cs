using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hokusai.Incidents.Serialization;

/// <summary>
/// The one JSON shape of the model, used by <c>--json</c> output, case files and the store:
/// camelCase names, enums as lower-case hyphenated words, times as ISO-8601 UTC strings, nulls omitted,
/// properties in declaration order so the same record always gives the same bytes.
/// </summary>
/// <remarks>
/// Every type written or read goes through serialization code generated at build time
/// (<see cref="ModelJsonContext"/>, and each project's own context for its output records through
/// <see cref="With"/>); nothing falls back to reflection. A one-shot command otherwise spends most of
/// its start building reflection metadata, and the native build cannot build it at all, so a type
/// missing from a context fails in every test that writes it rather than only in the published tool.
/// </remarks>
public static class IncidentJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: true, ModelJsonContext.Default);

    public static JsonSerializerOptions Compact { get; } = Create(indented: false, ModelJsonContext.Default);

    /// <summary>The same settings for a project's own records (a context of its own) beside the model's.</summary>
    public static JsonSerializerOptions With(IJsonTypeInfoResolver types, bool indented = true) =>
        Create(indented, JsonTypeInfoResolver.Combine(types, ModelJsonContext.Default));

    public static string Serialize<T>(T value, bool indented = true) =>
        JsonSerializer.Serialize(value, (indented ? Options : Compact).TypeInfo<T>());

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, Options.TypeInfo<T>()) ?? throw new JsonException("document is null");

    /// <summary>
    /// The generated metadata of <typeparamref name="T"/> in these options. Serializer calls given
    /// metadata, not options, are the ones the native build can check need no code made at run time.
    /// </summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options) =>
        (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(bool indented, IJsonTypeInfoResolver types)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Titles and log lines hold quotes, < and non-ASCII text; keep them readable in files.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            IgnoreReadOnlyProperties = true,
            NewLine = "\n",
            TypeInfoResolver = types,
        };
        options.Converters.Add(new UtcTimeConverter());
        options.MakeReadOnly();
        return options;
    }

    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? throw new JsonException("time is null");
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value.ToUniversalTime()
                : throw new JsonException($"invalid time '{text}'");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(TimeInput.Format(value));
    }
}

/// <summary>
/// An enum written as its lower-case hyphenated name (<c>sev1</c>, <c>log-excerpt</c>), numbers refused.
/// Each enum names it in a <see cref="JsonConverterAttribute"/>: a converter built per enum type at run time
/// needs code the native build does not have.
/// </summary>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>The model's records, as every project writes and reads them.</summary>
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(Evidence))]
[JsonSerializable(typeof(List<Evidence>))]
[JsonSerializable(typeof(IReadOnlyList<Evidence>))]
[JsonSerializable(typeof(Hypothesis))]
[JsonSerializable(typeof(FixTask))]
[JsonSerializable(typeof(TimelineEntry))]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(List<Incident>))]
[JsonSerializable(typeof(List<Hypothesis>))]
[JsonSerializable(typeof(List<FixTask>))]
[JsonSerializable(typeof(List<TimelineEntry>))]
[JsonSerializable(typeof(IReadOnlyList<Hypothesis>))]
[JsonSerializable(typeof(IReadOnlyList<FixTask>))]
[JsonSerializable(typeof(IReadOnlyList<TimelineEntry>))]
[JsonSerializable(typeof(CaseFile))]
[JsonSerializable(typeof(CaseFile.WireCaseFile))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
