using System.Diagnostics;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// An exclusive lock on a database across processes: a lock file beside it opened with no sharing
/// (an advisory <c>flock</c> on Unix, a share lock on Windows). The operating system drops it when
/// its holder exits, killed or not, so a crashed writer never leaves the database locked.
/// </summary>
internal sealed class StoreFileLock : IDisposable
{
    private readonly FileStream _stream;

    private StoreFileLock(FileStream stream) => _stream = stream;

    /// <summary>Where the lock of a database lives.</summary>
    public static string PathFor(string databasePath) => databasePath + ".lock";

    /// <summary>
    /// Waits for the lock, polling: a short first wait (most holders are one small command), then
    /// up to 20 ms between tries.
    /// </summary>
    /// <exception cref="StoreException">Not acquired within <paramref name="timeout"/>.</exception>
    public static StoreFileLock Acquire(string databasePath, TimeSpan timeout)
    {
        var path = PathFor(databasePath);
        var waited = Stopwatch.StartNew();
        var pause = 1;
        while (true)
        {
            try
            {
                return new StoreFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (File.Exists(path) && waited.Elapsed < timeout)
            {
                // Held by another process (or another store in this one): wait our turn.
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new StoreException(
                    $"database '{databasePath}' is busy: another incidents process has held it for over {timeout.TotalSeconds:N0} s", e);
            }
            Thread.Sleep(pause);
            pause = Math.Min(20, pause * 2);
        }
    }

    public void Dispose() => _stream.Dispose();
}
