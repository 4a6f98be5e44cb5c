using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// Decides, reading only, whether a file is a healthy LiteDB 5 database before LiteDB opens it for
/// writing. LiteDB treats a short file as new and re-creates it, opens a file a byte short and then
/// shrinks it, and marks a header byte when a read fails; so anything doubtful is refused here and
/// left byte for byte as it was (<c>incidents doctor</c> salvages it into a new file).
/// </summary>
public static class StoreFileCheck
{
    /// <summary>LiteDB 5 reads and writes whole pages of this size.</summary>
    public const int PageSize = 8192;

    private const string HeaderInfo = "** This is a LiteDB file **";
    private const int HeaderInfoOffset = 32;
    private const int FileVersionOffset = 59;
    private const byte FileVersion = 8;
    private const int LastPageIdOffset = 64;
    // LiteDB sets this byte when it met a page it could not read.
    private const int InvalidStateOffset = 191;
    private const byte HighestPageType = 4;

    /// <summary>Pages whose headers are read on every open: all of a small file, an even spread of a large one.</summary>
    public const int SampledPages = 4096;

    /// <summary>
    /// Throws <see cref="StoreException"/> naming what is wrong unless <paramref name="path"/> is missing
    /// (a new database) or a healthy LiteDB file. Another process may be writing the file at this moment
    /// (shared mode); what looks damaged is looked at again a moment later before it is refused.
    /// </summary>
    public static void EnsureHealthy(string path)
    {
        if (Problem(path, allPages: false) is null)
        {
            return;
        }
        Thread.Sleep(200);
        if (Problem(path, allPages: false) is { } problem)
        {
            throw new StoreException($"database '{path}' {problem}; it was left untouched (incidents doctor copies what can still be read into a new database)");
        }
    }

    /// <summary>What is wrong with the file, or null when it is missing or looks healthy.</summary>
    public static string? Problem(string path, bool allPages)
    {
        if (Directory.Exists(path))
        {
            return "is a directory, not a database file";
        }
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Inspect(handle, allPages);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {e.Message.ReplaceLineEndings(" ")}";
        }
    }

    private static string? Inspect(SafeFileHandle handle, bool allPages)
    {
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
        {
            return "is empty, not a LiteDB database";
        }
        var header = new byte[PageSize];
        var read = RandomAccess.Read(handle, header, 0);
        if (read < HeaderInfoOffset + HeaderInfo.Length
            || Encoding.ASCII.GetString(header, HeaderInfoOffset, HeaderInfo.Length) != HeaderInfo)
        {
            return "is not a LiteDB database (no LiteDB header)";
        }
        if (header[FileVersionOffset] != FileVersion)
        {
            return $"is a LiteDB file of format version {header[FileVersionOffset]}, not {FileVersion}";
        }
        if (length < PageSize || length % PageSize != 0)
        {
            return $"is damaged: {length:N0} bytes is not a whole number of {PageSize:N0}-byte pages (cut short?)";
        }
        var pages = length / PageSize;
        var lastPage = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(LastPageIdOffset));
        if (lastPage >= pages)
        {
            return $"is damaged: its header counts {lastPage + 1:N0} pages but the file holds {pages:N0} (cut short?)";
        }
        if (header[InvalidStateOffset] != 0)
        {
            return "is damaged: LiteDB marked it as holding pages it could not read";
        }
        var step = allPages || pages <= SampledPages ? 1 : pages / SampledPages;
        var page = new byte[5];
        for (long p = 0; p < pages; p += step)
        {
            if (PageHeaderProblem(handle, p, page) is { } problem)
            {
                return problem;
            }
        }
        return PageHeaderProblem(handle, pages - 1, page);
    }

    private static string? PageHeaderProblem(SafeFileHandle handle, long number, byte[] buffer)
    {
        if (RandomAccess.Read(handle, buffer, number * PageSize) < buffer.Length)
        {
            return $"is damaged: page {number} cannot be read";
        }
        var id = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (id != number || buffer[4] > HighestPageType || (number == 0) != (buffer[4] == 1))
        {
            return $"is damaged: page {number} does not hold a LiteDB page header";
        }
        return null;
    }
}
