namespace Hokusai.Incidents.Files;

/// <summary>
/// Reads a file the user named, whole, but only a regular file and never more than a limit: a FIFO
/// would block, /dev/zero never ends, and a stale size from stat cannot be trusted.
/// </summary>
public static class InputFile
{
    /// <summary>The file's bytes; one-line <see cref="InvalidInputException"/> naming <paramref name="name"/> otherwise.</summary>
    public static byte[] ReadAll(string path, string name, long maxBytes)
    {
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing)
        {
            throw new InvalidInputException($"{name}: no such file");
        }
        if (kind != FileKind.Regular)
        {
            throw new InvalidInputException($"{name}: is {FileKinds.Describe(kind)}, not a regular file");
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            // Read one byte past the limit to tell "exactly the limit" from "more".
            var buffer = new byte[Math.Min(maxBytes + 1, Math.Max(stream.Length + 1, 4096))];
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                    {
                        break;
                    }
                    Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
                }
                var read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }
                total += read;
            }
            if (total > maxBytes)
            {
                throw new InvalidInputException($"{name}: larger than the {MiB(maxBytes)} limit");
            }
            return buffer[..total];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{name}: cannot be read: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static string MiB(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes:N0}-byte";
}
