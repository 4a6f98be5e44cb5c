using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Search;

/// <summary>
/// <c>search --json</c> output, written by serialization code generated at build time: a one-shot
/// search otherwise spent about as long building System.Text.Json's reflection metadata for these two
/// records as it spent searching. Same shape and settings as every other command's JSON.
/// </summary>
public static class SearchResultsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        IgnoreReadOnlyProperties = true,
        TypeInfoResolver = SearchJsonContext.Default,
    };

    public static string Serialize(SearchResults results) => JsonSerializer.Serialize(results, Options.TypeInfo<SearchResults>());
}

[JsonSerializable(typeof(SearchResults))]
internal sealed partial class SearchJsonContext : JsonSerializerContext;
