using System.Text.Json.Nodes;

namespace Hokusai.Incidents.Sharing;

/// <summary>
/// The git merge driver for the folder's record and evidence files (<c>incidents merge-driver %O %A %B %P</c>):
/// merges them structurally instead of writing conflict markers into JSON. The result goes to the
/// "ours" file, as git expects. A true conflict still leaves a readable file (the folder's value, the
/// local one in a note and in a <c>conflicts</c> list that <c>incidents sync</c> reports) and fails.
/// </summary>
public sealed class MergeDriver(GitCommand? git)
{
    public const string Name = "hokusai-incidents";

    /// <summary>Exit code 0 = merged cleanly, 1 = conflict (file still written); the message says what happened.</summary>
    public sealed record Outcome(int ExitCode, string? Message);

    public Outcome Run(string basePath, string oursPath, string theirsPath, string pathInRepo)
    {
        var name = Path.GetFileName(pathInRepo);
        if (name == FolderRecord.FileName)
        {
            return MergeRecord(Read(basePath), Read(oursPath)!, Read(theirsPath)!, oursPath, pathInRepo);
        }
        if (name.EndsWith(EvidenceFiles.Extension, StringComparison.Ordinal))
        {
            return MergeEvidence(Read(basePath), Read(oursPath)!, Read(theirsPath)!, oursPath, pathInRepo);
        }
        return new Outcome(1, $"{pathInRepo}: not an incident record or evidence file; resolve it by hand");
    }

    private static string? Read(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        return text.Length == 0 ? null : text;
    }

    private static Outcome MergeRecord(string? baseText, string oursText, string theirsText, string output, string path)
    {
        var b = baseText is null ? null : FolderRecord.ParseNode(baseText, path + " (common ancestor)");
        var ours = FolderRecord.ParseNode(oursText, path + " (ours)");
        var theirs = FolderRecord.ParseNode(theirsText, path + " (theirs)");
        if (IsOtherIncident(b, ours, theirs))
        {
            File.WriteAllText(output, theirsText);
            return new Outcome(1, $"{path}: created in both clones as different incidents; the file now holds the other clone's; " +
                "run 'incidents sync' to keep yours under a new id, then commit");
        }
        ours.Remove(FolderRecord.ConflictsKey);
        theirs.Remove(FolderRecord.ConflictsKey);
        var result = RecordMerge.Merge(b, ours, theirs);
        if (result.Conflicts.Count > 0)
        {
            result.Merged[FolderRecord.ConflictsKey] = System.Text.Json.JsonSerializer.SerializeToNode(result.Conflicts, Serialization.IncidentJson.TypeInfo<IReadOnlyList<MergeConflict>>(SharingJson.Options));
        }
        File.WriteAllText(output, FolderRecord.Format(result.Merged));
        if (result.Conflicts.Count == 0)
        {
            return new Outcome(0, null);
        }
        var first = result.Conflicts[0];
        return new Outcome(1, $"{path}: {result.Conflicts.Count} value(s) changed differently on both sides " +
            $"(first: {first.Path}: ours {first.Local ?? "(none)"}, theirs {first.Folder ?? "(none)"}); theirs kept, ours recorded in a note; " +
            "run 'incidents sync' to see them all, then commit");
    }

    /// <summary>An add/add of one id by two unrelated incidents: no common ancestor and different creation times.</summary>
    private static bool IsOtherIncident(JsonObject? b, JsonObject? ours, JsonObject? theirs) =>
        b is null && ours is not null && theirs is not null
        && ours["createdAt"]?.ToJsonString() != theirs["createdAt"]?.ToJsonString();

    private Outcome MergeEvidence(string? baseText, string oursText, string theirsText, string output, string path)
    {
        var b = Lines(baseText, path);
        var ours = Lines(oursText, path);
        var theirs = Lines(theirsText, path);
        var (plan, otherIncident) = PlanFromRecords(path);
        if (otherIncident)
        {
            File.WriteAllText(output, theirsText);
            return new Outcome(1, $"{path}: the incident was created in both clones as different incidents; run 'incidents sync', then commit");
        }
        if (plan is null)
        {
            // Without the records (not a plain merge), renumber from the evidence alone; hypothesis links stay as they are.
            var baseLast = b.Keys.DefaultIfEmpty(0).Max();
            var oursLast = ours.Keys.DefaultIfEmpty(0).Max();
            var theirsLast = theirs.Keys.DefaultIfEmpty(0).Max();
            var shift = oursLast > baseLast && theirsLast > baseLast ? theirsLast - baseLast : 0;
            plan = MergePlan.None with { BaseLastEvidence = baseLast, EvidenceShift = shift };
        }
        var merged = new SortedDictionary<long, JsonObject>();
        foreach (var (n, item) in theirs)
        {
            merged[n] = item;
        }
        foreach (var (n, item) in ours)
        {
            var mine = n > plan.BaseLastEvidence ? plan.ApplyToEvidence(item) : item;
            var number = mine["number"]!.GetValue<long>();
            if (merged.TryGetValue(number, out var other))
            {
                var old = b.GetValueOrDefault(number);
                merged[number] = JsonNode.DeepEquals(mine, old) ? other
                    : JsonNode.DeepEquals(other, old) ? mine
                    : RecordMerge.MergeEvidence(mine, other);
            }
            else if (!b.ContainsKey(number))
            {
                merged[number] = mine;
            }
        }
        File.WriteAllText(output, string.Concat(merged.Values.Select(v => EvidenceFiles.FormatLine(v) + "\n")));
        return new Outcome(0, null);
    }

    private static Dictionary<long, JsonObject> Lines(string? text, string path)
    {
        var result = new Dictionary<long, JsonObject>();
        if (text is null)
        {
            return result;
        }
        var n = 0;
        foreach (var line in text.Split('\n'))
        {
            n++;
            if (line.Length == 0)
            {
                continue;
            }
            var node = EvidenceFiles.ParseNode(line, path, n);
            result[node["number"]?.GetValue<long>() ?? 0] = node;
        }
        return result;
    }

    /// <summary>
    /// The plan the record merge makes for this incident, from the three versions of its record in git:
    /// ours is HEAD, theirs the commit git names in GITHEAD_* while merging, the base their merge base.
    /// </summary>
    private (MergePlan? Plan, bool OtherIncident) PlanFromRecords(string evidencePath)
    {
        if (git is null)
        {
            return (null, false);
        }
        var theirsCommit = System.Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .FirstOrDefault(k => k.StartsWith("GITHEAD_", StringComparison.Ordinal))?["GITHEAD_".Length..];
        if (theirsCommit is null)
        {
            return (null, false);
        }
        var recordPath = Path.GetDirectoryName(Path.GetDirectoryName(evidencePath))!.Replace('\\', '/') + "/" + FolderRecord.FileName;
        var mergeBase = git.Run("merge-base", "HEAD", theirsCommit);
        JsonObject? Show(string rev)
        {
            var r = git.Run("show", $"{rev}:{recordPath}");
            return r.ExitCode == 0 && r.Out.Length > 0 ? FolderRecord.ParseNode(r.Out, recordPath) : null;
        }
        var ours = Show("HEAD");
        var theirs = Show(theirsCommit);
        if (ours is null || theirs is null)
        {
            return (null, false);
        }
        var b = mergeBase.ExitCode == 0 ? Show(mergeBase.Out.Trim()) : null;
        return IsOtherIncident(b, ours, theirs) ? (null, true) : (MergePlan.For(b, ours, theirs), false);
    }
}
