using System.Text.Json;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Sharing;

/// <summary>A shared record's merge conflicts beside the model's records, in generated code.</summary>
internal static class SharingJson
{
    public static JsonSerializerOptions Options { get; } = IncidentJson.With(SharingJsonContext.Default);
}

[JsonSerializable(typeof(List<MergeConflict>))]
[JsonSerializable(typeof(IReadOnlyList<MergeConflict>))]
internal sealed partial class SharingJsonContext : JsonSerializerContext;
