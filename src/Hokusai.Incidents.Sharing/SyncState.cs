using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Sharing;

/// <summary>What one incident looked like on both sides at the end of the last sync.</summary>
public sealed record IncidentSyncState
{
    /// <summary>The store's revision of the incident then.</summary>
    public int Revision { get; init; }
    public long LastEvidence { get; init; }
    public string CreatedAt { get; init; } = "";
    /// <summary>Record and evidence files, relative to the incident directory.</summary>
    public Dictionary<string, FileStamp> Files { get; init; } = [];
}

public sealed record SyncState
{
    /// <summary>The store's change sequence after the last sync: equal now means nothing changed locally.</summary>
    public long StoreSequence { get; init; } = -1;
    public Dictionary<string, IncidentSyncState> Incidents { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The last synced state of one store against one folder, kept beside the database (never in the
/// shared folder): <c>DB.sync/KEY/state.json</c> plus the last synced record of each incident
/// (<c>base/ID.json</c>), the common ancestor of a three-way merge.
/// </summary>
public sealed class SyncStateFiles
{
    private readonly string _directory;

    public SyncStateFiles(string databasePath, string folderRoot)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folderRoot))))[..16].ToLowerInvariant();
        _directory = Path.Combine(databasePath + ".sync", key);
    }

    private string StatePath => Path.Combine(_directory, "state.json");

    private string BasePath(string id) => Path.Combine(_directory, "base", id + ".json");

    public SyncState Load()
    {
        if (!File.Exists(StatePath))
        {
            return new SyncState();
        }
        try
        {
            using var stream = File.OpenRead(StatePath);
            var state = JsonSerializer.Deserialize<SyncState>(stream, IncidentJson.Compact) ?? new SyncState();
            return state with { Incidents = new Dictionary<string, IncidentSyncState>(state.Incidents, StringComparer.Ordinal) };
        }
        catch (JsonException)
        {
            // A damaged state only costs a slower sync: everything is compared again, nothing is lost.
            return new SyncState();
        }
    }

    public void Save(SyncState state)
    {
        Directory.CreateDirectory(_directory);
        var temp = StatePath + ".tmp";
        using (var stream = File.Create(temp))
        {
            JsonSerializer.Serialize(stream, state, IncidentJson.Compact);
        }
        File.Move(temp, StatePath, overwrite: true);
    }

    public string? ReadBase(string id) => File.Exists(BasePath(id)) ? File.ReadAllText(BasePath(id)) : null;

    public void WriteBase(string id, string recordText)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(BasePath(id))!);
        File.WriteAllText(BasePath(id), recordText);
    }

    public void DeleteBase(string id)
    {
        if (File.Exists(BasePath(id)))
        {
            File.Delete(BasePath(id));
        }
    }
}
