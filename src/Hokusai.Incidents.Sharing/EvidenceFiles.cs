using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Sharing;

/// <summary>
/// An incident's evidence in the folder: JSON Lines files of at most <see cref="ChunkSize"/> items,
/// E1–E10000 in <c>evidence/0001.jsonl</c>, E10001–E20000 in <c>0002.jsonl</c> and so on. Evidence
/// only grows, so adding some touches the last file alone and never an older one.
/// </summary>
public static class EvidenceFiles
{
    public const int ChunkSize = 10_000;
    public const string DirectoryName = "evidence";
    public const string Extension = ".jsonl";

    public static int ChunkOf(long number) => (int)((Math.Max(number, 1) - 1) / ChunkSize) + 1;

    public static string FileName(int chunk) => $"{chunk:D4}{Extension}";

    public static string RelativePath(int chunk) => $"{DirectoryName}/{FileName(chunk)}";

    /// <summary>One line: the store's JSON shape, compact, without the incident id (the folder says it).</summary>
    public static string FormatLine(Evidence evidence)
    {
        var node = JsonSerializer.SerializeToNode(evidence, IncidentJson.Compact.TypeInfo<Evidence>())!.AsObject();
        node.Remove("incidentId");
        return node.ToJsonString(IncidentJson.Compact);
    }

    public static string FormatLine(JsonObject node) => node.ToJsonString(IncidentJson.Compact);

    public static JsonObject ParseNode(string line, string source, int lineNumber)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject
                ?? throw new InvalidInputException($"{source}:{lineNumber}: not an evidence item (expected a JSON object)");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source}:{lineNumber}: not valid JSON; resolve the merge in this file or restore it from git", e);
        }
    }

    public static Evidence ToEvidence(JsonObject node, string incidentId, string source, int lineNumber)
    {
        var copy = node.DeepClone().AsObject();
        copy["incidentId"] = incidentId;
        try
        {
            return copy.Deserialize(IncidentJson.Options.TypeInfo<Evidence>())
                ?? throw new InvalidInputException($"{source}:{lineNumber}: empty evidence item");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidInputException($"{source}:{lineNumber}: not a valid evidence item: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>The chunk files of an incident folder, in order.</summary>
    public static IReadOnlyList<(int Chunk, string Path)> List(string incidentDirectory)
    {
        var dir = Path.Combine(incidentDirectory, DirectoryName);
        if (!Directory.Exists(dir))
        {
            return [];
        }
        var result = new List<(int, string)>();
        foreach (var file in Directory.EnumerateFiles(dir, "*" + Extension))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(file), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var chunk))
            {
                result.Add((chunk, file));
            }
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>Streams the evidence numbered above <paramref name="after"/>, a line at a time.</summary>
    public static IEnumerable<Evidence> Read(string incidentDirectory, string incidentId, long after = 0)
    {
        var first = ChunkOf(after + 1);
        foreach (var (chunk, path) in List(incidentDirectory))
        {
            // A merge may leave a renumbered item in the file it was first written to, never in an earlier one.
            if (chunk < first)
            {
                continue;
            }
            var source = Path.Combine(Path.GetFileName(incidentDirectory), DirectoryName, Path.GetFileName(path));
            var n = 0;
            foreach (var line in File.ReadLines(path))
            {
                n++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                var node = ParseNode(line, source, n);
                var number = node["number"] is JsonValue v && v.TryGetValue<long>(out var x) ? x : 0;
                if (number > after)
                {
                    yield return ToEvidence(node, incidentId, source, n);
                }
            }
        }
    }

    /// <summary>
    /// Writes evidence given in number order into its chunk files; a file is written only when its text
    /// changes. With <paramref name="appendAfter"/>, the items are additions to files already holding
    /// everything up to that number, whose lines are kept as they are. Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Write(string incidentDirectory, IEnumerable<Evidence> items, long? appendAfter = null)
    {
        var dir = Path.Combine(incidentDirectory, DirectoryName);
        var written = new List<string>();
        var expected = new HashSet<int>();
        var chunk = -1;
        var text = new StringBuilder();
        void Flush()
        {
            if (chunk < 0)
            {
                return;
            }
            var path = Path.Combine(dir, FileName(chunk));
            var content = text.ToString();
            if (appendAfter is { } after && chunk == ChunkOf(after + 1) && File.Exists(path) && (after % ChunkSize) != 0)
            {
                content = File.ReadAllText(path) + content;
            }
            if (KnowledgeFolder.WriteIfChanged(path, content))
            {
                written.Add(path);
            }
            text.Clear();
        }
        foreach (var e in items)
        {
            var c = ChunkOf(e.Number);
            if (c != chunk)
            {
                Flush();
                chunk = c;
                expected.Add(c);
            }
            text.Append(FormatLine(e)).Append('\n');
        }
        Flush();
        if (appendAfter is null)
        {
            // A full write owns the directory: files for chunks that no longer exist go.
            foreach (var (c, path) in List(incidentDirectory))
            {
                if (!expected.Contains(c))
                {
                    File.Delete(path);
                    written.Add(path);
                }
            }
        }
        return written;
    }
}
