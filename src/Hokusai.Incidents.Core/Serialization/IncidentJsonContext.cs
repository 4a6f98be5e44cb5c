using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hokusai.Incidents.Serialization;

/// <summary>
/// Compile-time JSON metadata for the model. Without it, the first read or write of an incident builds
/// the metadata by reflection and JIT-compiles several hundred serializer methods: most of what a short
/// command such as <c>show</c> spends after the runtime's own start. <see cref="IncidentJson"/> puts this
/// ahead of the reflection resolver, so its converters and options still decide the JSON shape, and
/// types not listed here (other projects' records, <c>--json</c> views) still serialize by reflection.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(Evidence))]
[JsonSerializable(typeof(List<Evidence>))]
[JsonSerializable(typeof(IReadOnlyList<Evidence>))]
[JsonSerializable(typeof(CaseFile))]
[JsonSerializable(typeof(CaseFile.WireCaseFile))]
internal sealed partial class IncidentJsonContext : JsonSerializerContext;
