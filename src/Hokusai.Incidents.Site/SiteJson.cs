using System.Text.Json;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Search;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Site;

/// <summary>The site's own records (its search index, the similar-incidents cache) beside the model's, in generated code.</summary>
internal static class SiteJson
{
    public static JsonSerializerOptions Compact { get; } = IncidentJson.With(SiteJsonContext.Default, indented: false);
}

// The search index keeps the default encoder, which escapes <, >, &, quotes and non-ASCII: the
// script it is written into cannot be broken out of.
[JsonSerializable(typeof(List<SearchEntry>))]
[JsonSerializable(typeof(IReadOnlyList<SimilarLink>))]
[JsonSerializable(typeof(StaticSite.SimilarCache))]
[JsonSerializable(typeof(IReadOnlyList<SimilarIncidentMatch>))]
internal sealed partial class SiteJsonContext : JsonSerializerContext;
