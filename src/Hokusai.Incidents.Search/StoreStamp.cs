using System.Globalization;

namespace Hokusai.Incidents.Search;

/// <summary>
/// The size and modification time of the database file and its log when the store's change sequence
/// was last read and found to be what the index reflects. While neither file has changed since, the
/// store cannot have changed either, so a one-shot search need not open the database (its open is
/// the largest part of such a search) to learn the index is current. Kept in a file of its own in the
/// index folder; Lucene leaves files not named like its own alone.
/// </summary>
internal sealed record StoreStamp(long Sequence, FileState Database, FileState Log)
{
    private const string FileName = "store-stamp.txt";

    /// <summary>
    /// A file changed this recently may change again within the same tick of the file system's clock
    /// and keep its size: its time proves nothing yet (git's "racily clean" files), so no stamp is kept.
    /// </summary>
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(2);

    /// <summary>The database's files as they are now; null when the database does not exist.</summary>
    public static (FileState Database, FileState Log)? Files(string databasePath)
    {
        try
        {
            var db = new FileInfo(databasePath);
            if (!db.Exists)
            {
                return null;
            }
            return (FileState.Of(db), FileState.Of(new FileInfo(LogPath(databasePath))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The stamp kept in an index folder, or null when there is none or it cannot be read.</summary>
    public static StoreStamp? Read(string indexDirectory)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(indexDirectory, FileName)).Split(' ', StringSplitOptions.TrimEntries);
            if (parts.Length != 5 || !parts.All(p => long.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            {
                return null;
            }
            var n = parts.Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return new StoreStamp(n[0], new FileState(n[1], n[2]), new FileState(n[3], n[4]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Keeps the stamp, when the files were taken before <paramref name="sequence"/> was read and
    /// have settled; failing to write it only means the next search opens the database.
    /// </summary>
    public static void Write(string indexDirectory, long sequence, (FileState Database, FileState Log) files)
    {
        var now = DateTime.UtcNow.Ticks;
        if (now - files.Database.Modified < Settled.Ticks || now - files.Log.Modified < Settled.Ticks)
        {
            return;
        }
        var path = Path.Combine(indexDirectory, FileName);
        var temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture,
                $"{sequence} {files.Database.Length} {files.Database.Modified} {files.Log.Length} {files.Log.Modified}"));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Nothing left to do: a stray temporary file is harmless.
            }
        }
    }

    /// <summary>Where LiteDB keeps the database's write-ahead log: beside it, named <c>NAME-log.EXT</c>.</summary>
    private static string LogPath(string databasePath) => Path.Combine(Path.GetDirectoryName(databasePath) ?? "",
        Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));
}

/// <summary>A file's length and last write time (UTC ticks); a missing file is (-1, 0).</summary>
internal readonly record struct FileState(long Length, long Modified)
{
    public static FileState Of(FileInfo file) =>
        file.Exists ? new FileState(file.Length, file.LastWriteTimeUtc.Ticks) : new FileState(-1, 0);
}
