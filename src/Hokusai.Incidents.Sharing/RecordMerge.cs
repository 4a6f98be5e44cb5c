using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents.Sharing;

/// <summary>
/// How the local side's additions are renumbered so they do not collide with the shared side's:
/// hypotheses and tasks both sides added under the same number, and evidence both sides appended
/// after the last common evidence number. Computed from the three records alone, so the record
/// merge and the evidence merges (run separately by git) agree on it.
/// </summary>
public sealed partial record MergePlan(
    IReadOnlyDictionary<int, int> Hypotheses,
    IReadOnlyDictionary<int, int> Tasks,
    long BaseLastEvidence,
    long EvidenceShift)
{
    public static readonly MergePlan None = new(new Dictionary<int, int>(), new Dictionary<int, int>(), 0, 0);

    public bool IsEmpty => Hypotheses.Count == 0 && Tasks.Count == 0 && EvidenceShift == 0;

    public static MergePlan For(JsonObject? @base, JsonObject local, JsonObject folder)
    {
        var baseLast = LastEvidence(@base);
        var localLast = LastEvidence(local);
        var folderLast = LastEvidence(folder);
        var shift = localLast > baseLast && folderLast > baseLast ? folderLast - baseLast : 0;
        return new MergePlan(Renames(@base, local, folder, "hypotheses"), Renames(@base, local, folder, "tasks"), baseLast, shift);
    }

    public static long LastEvidence(JsonObject? record) =>
        record?[FolderRecord.LastEvidenceKey] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;

    /// <summary>Items both sides added under one number but that are not the same item (another title): the local one moves past both.</summary>
    private static Dictionary<int, int> Renames(JsonObject? @base, JsonObject local, JsonObject folder, string list)
    {
        var baseItems = Numbered(@base?[list]);
        var localItems = Numbered(local[list]);
        var folderItems = Numbered(folder[list]);
        var renames = new Dictionary<int, int>();
        var next = localItems.Keys.Concat(folderItems.Keys).DefaultIfEmpty(0).Max() + 1;
        foreach (var (number, item) in localItems.OrderBy(p => p.Key))
        {
            if (baseItems.ContainsKey(number) || !folderItems.TryGetValue(number, out var other))
            {
                continue;
            }
            if (other["title"]?.GetValue<string>() != item["title"]?.GetValue<string>())
            {
                renames[number] = next++;
            }
        }
        return renames;
    }

    private static Dictionary<int, JsonObject> Numbered(JsonNode? list)
    {
        var result = new Dictionary<int, JsonObject>();
        if (list is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                if (item["number"] is JsonValue v && v.TryGetValue<int>(out var n))
                {
                    result.TryAdd(n, item);
                }
            }
        }
        return result;
    }

    public string RenameLink(string link)
    {
        if (link.Length > 1 && int.TryParse(link.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            var map = char.ToUpperInvariant(link[0]) switch { 'H' => Hypotheses, 'T' => Tasks, _ => null };
            if (map is not null && map.TryGetValue(n, out var to))
            {
                return $"{char.ToUpperInvariant(link[0])}{to}";
            }
        }
        return link;
    }

    public long RenameEvidence(long number) => number > BaseLastEvidence ? number + EvidenceShift : number;

    /// <summary>A local record with its additions renumbered and every link to them following.</summary>
    public JsonObject ApplyToRecord(JsonObject local)
    {
        var r = local.DeepClone().AsObject();
        if (IsEmpty)
        {
            return r;
        }
        foreach (var h in Items(r, "hypotheses"))
        {
            Renumber(h, "number", Hypotheses);
            RewriteEvidenceText(h, "supportingEvidence");
            RewriteEvidenceText(h, "evidenceAgainst");
        }
        foreach (var t in Items(r, "tasks"))
        {
            Renumber(t, "number", Tasks);
            Renumber(t, "parent", Tasks);
            if (t["dependsOn"] is JsonArray deps)
            {
                for (var i = 0; i < deps.Count; i++)
                {
                    if (deps[i] is JsonValue v && v.TryGetValue<int>(out var d) && Tasks.TryGetValue(d, out var to))
                    {
                        deps[i] = to;
                    }
                }
            }
        }
        foreach (var e in Items(r, "timeline"))
        {
            RewriteEvidenceText(e, "evidence");
        }
        r[FolderRecord.LastEvidenceKey] = RenameEvidence(LastEvidence(r));
        return r;
    }

    /// <summary>A local evidence item (folder line form) with its number and links following the renames.</summary>
    public JsonObject ApplyToEvidence(JsonObject item)
    {
        var e = item.DeepClone().AsObject();
        if (IsEmpty)
        {
            return e;
        }
        if (e["number"] is JsonValue v && v.TryGetValue<long>(out var n))
        {
            e["number"] = RenameEvidence(n);
        }
        foreach (var name in new[] { "supports", "refutes" })
        {
            if (e[name] is JsonArray links)
            {
                for (var i = 0; i < links.Count; i++)
                {
                    if (links[i] is JsonValue l && l.TryGetValue<string>(out var text))
                    {
                        links[i] = RenameLink(text);
                    }
                }
            }
        }
        return e;
    }

    private static IEnumerable<JsonObject> Items(JsonObject record, string list) =>
        record[list] is JsonArray a ? a.OfType<JsonObject>() : [];

    private static void Renumber(JsonObject item, string field, IReadOnlyDictionary<int, int> map)
    {
        if (item[field] is JsonValue v && v.TryGetValue<int>(out var n) && map.TryGetValue(n, out var to))
        {
            item[field] = to;
        }
    }

    private void RewriteEvidenceText(JsonObject item, string field)
    {
        if (EvidenceShift == 0 || item[field] is not JsonArray list)
        {
            return;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonValue v && v.TryGetValue<string>(out var text))
            {
                list[i] = EvidenceRef().Replace(text, m =>
                    "E" + RenameEvidence(long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    [GeneratedRegex(@"\bE(\d{1,12})\b")]
    private static partial Regex EvidenceRef();
}

/// <summary>
/// Three-way merge of two incident records (folder form) against their last common state, item by
/// item: objects property by property, lists by item identity (number, time and text, label…), and a
/// value both sides changed differently is a <see cref="MergeConflict"/> resolved to the folder's value.
/// </summary>
public static class RecordMerge
{
    public const string ConflictHeading = "Sync conflicts";

    public sealed record Result(JsonObject Merged, IReadOnlyList<MergeConflict> Conflicts, MergePlan Plan);

    public static Result Merge(JsonObject? @base, JsonObject local, JsonObject folder)
    {
        var plan = MergePlan.For(@base, local, folder);
        var ours = plan.ApplyToRecord(local);
        var conflicts = new List<MergeConflict>();
        // The evidence count is not merged as a value: it follows from the merged evidence.
        static JsonObject? WithoutCount(JsonObject? r)
        {
            var copy = r?.DeepClone().AsObject();
            copy?.Remove(FolderRecord.LastEvidenceKey);
            copy?.Remove(FolderRecord.ConflictsKey);
            return copy;
        }
        var merged = MergeNode(WithoutCount(@base), WithoutCount(ours), WithoutCount(folder), "", conflicts) as JsonObject
            ?? folder.DeepClone().AsObject();
        merged[FolderRecord.LastEvidenceKey] = Math.Max(MergePlan.LastEvidence(ours), MergePlan.LastEvidence(folder));
        if (conflicts.Count > 0)
        {
            var notes = merged["notes"] as JsonArray ?? [];
            foreach (var c in conflicts)
            {
                notes.Add((JsonNode)new JsonObject
                {
                    ["text"] = $"Conflict on {c.Path}: the shared folder's value {c.Folder ?? "(none)"} was kept; the local value was {c.Local ?? "(none)"} (last common value {c.Base ?? "(none)"}).",
                    ["headingPath"] = ConflictHeading,
                    ["source"] = "incidents sync",
                });
            }
            merged["notes"] = notes;
        }
        return new Result(merged, conflicts, plan);
    }

    /// <summary>Two versions of one evidence item with no common state: the folder's, with the links of both.</summary>
    public static JsonObject MergeEvidence(JsonObject local, JsonObject folder)
    {
        var merged = folder.DeepClone().AsObject();
        foreach (var name in new[] { "supports", "refutes" })
        {
            var links = (folder[name] as JsonArray ?? []).Concat(local[name] as JsonArray ?? [])
                .Select(n => n?.GetValue<string>()).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (links.Count > 0)
            {
                merged[name] = new JsonArray([.. links.Select(l => (JsonNode)l)]);
            }
        }
        return merged;
    }

    private static JsonNode? MergeNode(JsonNode? b, JsonNode? o, JsonNode? t, string path, List<MergeConflict> conflicts)
    {
        if (JsonNode.DeepEquals(o, t) || JsonNode.DeepEquals(b, o))
        {
            return t?.DeepClone();
        }
        if (JsonNode.DeepEquals(b, t))
        {
            return o?.DeepClone();
        }
        if (o is JsonObject oo && t is JsonObject to)
        {
            var bo = b as JsonObject;
            var result = new JsonObject();
            foreach (var key in to.Select(p => p.Key).Concat(oo.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
            {
                var value = MergeNode(bo?[key], oo[key], to[key], Join(path, key), conflicts);
                if (value is not null)
                {
                    result[key] = value;
                }
            }
            return result;
        }
        if (o is JsonArray oa && t is JsonArray ta)
        {
            return MergeList(b as JsonArray, oa, ta, path, conflicts);
        }
        conflicts.Add(new MergeConflict(path, Show(b), Show(o), Show(t)));
        return t?.DeepClone();
    }

    private static JsonArray MergeList(JsonArray? b, JsonArray o, JsonArray t, string path, List<MergeConflict> conflicts)
    {
        var name = path[(path.LastIndexOf('.') + 1)..];
        var bMap = Keyed(b, name);
        var oMap = Keyed(o, name);
        var tMap = Keyed(t, name);
        var result = new List<JsonNode>();
        foreach (var (key, item) in tMap)
        {
            if (oMap.TryGetValue(key, out var mine))
            {
                var merged = MergeNode(bMap.GetValueOrDefault(key), mine, item, $"{path}[{Label(key, item)}]", conflicts);
                if (merged is not null)
                {
                    result.Add(merged);
                }
            }
            else if (!bMap.TryGetValue(key, out var old) || !JsonNode.DeepEquals(old, item))
            {
                // Added by the folder, or changed there while deleted here: kept.
                result.Add(item.DeepClone());
            }
        }
        foreach (var (key, item) in oMap)
        {
            if (!tMap.ContainsKey(key) && (!bMap.TryGetValue(key, out var old) || !JsonNode.DeepEquals(old, item)))
            {
                result.Add(item.DeepClone());
            }
        }
        if (name is "hypotheses")
        {
            result = [.. result.OrderBy(n => n["number"]?.GetValue<int>() ?? 0)];
        }
        else if (name is "timeline")
        {
            result = [.. result.OrderBy(n => n["at"]?.GetValue<string>(), StringComparer.Ordinal)];
        }
        return new JsonArray([.. result]);
    }

    /// <summary>What makes two list items the same item on both sides.</summary>
    private static Dictionary<string, JsonNode> Keyed(JsonArray? list, string name)
    {
        var map = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        if (list is null)
        {
            return map;
        }
        foreach (var item in list)
        {
            if (item is null)
            {
                continue;
            }
            var key = item is JsonObject obj ? KeyOf(obj, name) : item.ToJsonString();
            map.TryAdd(key, item);
        }
        return map;
    }

    private static string KeyOf(JsonObject item, string name)
    {
        string F(string field) => item[field]?.ToJsonString() ?? "";
        if (item.ContainsKey("number"))
        {
            return "#" + F("number");
        }
        return name switch
        {
            "timeline" => F("at") + "|" + F("text"),
            "notes" => F("headingPath") + "|" + F("text"),
            "riskAssessment" or "dataToAnalyse" => F("label"),
            "currentState" => F("component"),
            "relatedCode" => F("file") + "|" + F("line"),
            "rollbackPlan" or "successCriteria" => F("text"),
            "history" => F("at") + "|" + F("to"),
            _ => item.ToJsonString(),
        };
    }

    private static string Label(string key, JsonNode item) => item is JsonObject o && o["number"] is { } n
        ? n.ToJsonString()
        : key.Length > 40 ? key[..40] + "…" : key;

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string? Show(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
