using System.Text.Json;
using System.Text.Json.Nodes;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Sharing;

/// <summary>
/// An incident as it is kept in the shared folder: the store's JSON shape (fixed key order, one
/// property per line, one array item per block) without what differs from one store to the next
/// (<c>revision</c>, <c>updatedAt</c>), plus the highest evidence number, which lets a merge tell
/// which evidence each side added. A merge that met a true conflict leaves a <c>conflicts</c> list.
/// </summary>
public sealed record FolderRecord(Incident Incident, long LastEvidence, IReadOnlyList<MergeConflict> Conflicts)
{
    public const string FileName = "incident.json";
    public const string LastEvidenceKey = "lastEvidence";
    public const string ConflictsKey = "conflicts";

    /// <summary>The record as a JSON tree in folder form (what the merge works on).</summary>
    public static JsonObject ToNode(Incident incident, long lastEvidence)
    {
        var node = JsonSerializer.SerializeToNode(incident, IncidentJson.Options.TypeInfo<Incident>())!.AsObject();
        node.Remove("revision");
        node.Remove("updatedAt");
        node[LastEvidenceKey] = lastEvidence;
        return node;
    }

    public static string Format(Incident incident, long lastEvidence) => Format(ToNode(incident, lastEvidence));

    public static string Format(JsonObject node) => node.ToJsonString(IncidentJson.Options) + "\n";

    /// <summary>Parses folder text; every problem is one line naming <paramref name="source"/>.</summary>
    public static JsonObject ParseNode(string text, string source)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new InvalidInputException($"{source}: not an incident record (expected a JSON object)");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new InvalidInputException($"{source}: not valid JSON{where}; resolve the merge in this file or restore it from git", e);
        }
    }

    public static FolderRecord FromNode(JsonObject node, string source)
    {
        var copy = node.DeepClone().AsObject();
        var last = copy[LastEvidenceKey] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        IReadOnlyList<MergeConflict> conflicts = [];
        if (copy[ConflictsKey] is JsonArray list)
        {
            conflicts = list.Deserialize(SharingJson.Options.TypeInfo<List<MergeConflict>>()) ?? [];
        }
        copy.Remove(LastEvidenceKey);
        copy.Remove(ConflictsKey);
        Incident incident;
        try
        {
            incident = copy.Deserialize(IncidentJson.Options.TypeInfo<Incident>())
                ?? throw new InvalidInputException($"{source}: empty incident record");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidInputException($"{source}: not a valid incident record: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        if (string.IsNullOrWhiteSpace(incident.Id))
        {
            throw new InvalidInputException($"{source}: the incident has no id");
        }
        return new FolderRecord(incident, last, conflicts);
    }

    public static FolderRecord Parse(string text, string source) => FromNode(ParseNode(text, source), source);
}

/// <summary>
/// One value two sides changed differently since the last common state. The folder's (shared) value is
/// kept; the local one is recorded beside it as a note, so nothing is lost.
/// </summary>
public sealed record MergeConflict(string Path, string? Base, string? Local, string? Folder);
