using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

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
    /// <summary>The database files as they were when this state was saved: unchanged files mean an unchanged store, without opening it.</summary>
    public StoreStamp? Store { get; init; }
    /// <summary>When this state was saved (UTC ticks): a file stamped within <see cref="SyncStateFiles.RacyWindow"/> of it could still change unseen.</summary>
    public long SavedTicks { get; init; }
    public Dictionary<string, IncidentSyncState> Incidents { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>Size and write time of the database file and of LiteDB's log beside it (-1 when absent).</summary>
public sealed record StoreStamp(long Size, long Ticks, long LogSize, long LogTicks);

/// <summary>
/// The state is read on every sync, so it uses generated serialization code rather than reflection,
/// which a short-lived process would pay for in start-up time.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncState))]
internal sealed partial class SyncStateJson : JsonSerializerContext;

/// <summary>
/// The last synced state of one store against one folder, kept beside the database (never in the
/// shared folder): <c>DB.sync/KEY/state.json</c> plus the last synced record of each incident
/// (<c>base/ID.json</c>), the common ancestor of a three-way merge.
/// </summary>
public sealed class SyncStateFiles
{
    /// <summary>
    /// A file written this close to the moment its stamp was taken may change again within the file
    /// system's time resolution without its stamp changing (git's "racily clean"); it is checked by content.
    /// </summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly string _directory;
    private readonly string _databasePath;

    public SyncStateFiles(string databasePath, string folderRoot)
    {
        _databasePath = databasePath;
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
            var state = JsonSerializer.Deserialize(stream, SyncStateJson.Default.SyncState) ?? new SyncState();
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
            JsonSerializer.Serialize(stream, state with { SavedTicks = DateTime.UtcNow.Ticks }, SyncStateJson.Default.SyncState);
        }
        File.Move(temp, StatePath, overwrite: true);
    }

    /// <summary>The database files now; null when the database does not exist.</summary>
    public StoreStamp? StampStore()
    {
        var db = new FileInfo(_databasePath);
        if (!db.Exists)
        {
            return null;
        }
        // LiteDB keeps writes not yet checkpointed in NAME-log.EXT beside the file.
        var log = new FileInfo(Path.Combine(db.DirectoryName ?? "", Path.GetFileNameWithoutExtension(db.Name) + "-log" + db.Extension));
        return new StoreStamp(db.Length, db.LastWriteTimeUtc.Ticks, log.Exists ? log.Length : -1, log.Exists ? log.LastWriteTimeUtc.Ticks : -1);
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
