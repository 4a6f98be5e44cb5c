using System.Text;

namespace Hokusai.Incidents.Files;

/// <summary>
/// Writes a file the user named without destroying what they did not ask to change: never the
/// database or its index, never an existing file unless forced, and never a device, FIFO or symbolic
/// link replaced by a regular file (those are written through).
/// </summary>
public static class OutputFile
{
    /// <summary>
    /// Checks that <paramref name="path"/> (absolute) may be written, before any work is done:
    /// <paramref name="protectedPaths"/> are files and directories (with everything under them) that must
    /// never be written. Returns where the text will go (a link's target).
    /// </summary>
    public static OutputTarget Check(string path, bool force, IEnumerable<string> protectedPaths)
    {
        var target = FileKinds.RealPath(path);
        foreach (var p in protectedPaths)
        {
            var guarded = FileKinds.RealPath(p);
            if (target == guarded || target.StartsWith(guarded.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                throw new InvalidInputException($"'{path}' is the database or part of it; choose another output file");
            }
        }
        var kind = FileKinds.Of(target);
        return kind switch
        {
            FileKind.Missing or FileKind.CharacterDevice or FileKind.Fifo => new OutputTarget(path, target, kind),
            FileKind.Regular when !force => throw new InvalidInputException($"'{path}' already exists; use --force to replace it"),
            FileKind.Regular => new OutputTarget(path, target, kind),
            _ => throw new InvalidInputException($"'{path}' is {FileKinds.Describe(kind)}; choose a file to write"),
        };
    }

    /// <summary>Writes <paramref name="text"/> where <see cref="Check"/> said it goes.</summary>
    public static void Write(OutputTarget output, string text)
    {
        var (path, target, kind) = output;
        var encoding = new UTF8Encoding(false);
        switch (kind)
        {
            case FileKind.Missing or FileKind.Regular:
                WriteAtomically(target, text, encoding);
                break;
            default:
                // What the user named is a stream (a terminal, /dev/null, a pipe): write into it.
                Guarded(path, () =>
                {
                    using var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
                    stream.Write(encoding.GetBytes(text));
                    stream.Flush();
                });
                break;
        }
    }

    /// <summary>Writes beside the target then renames, so a failed write never leaves half a file.</summary>
    private static void WriteAtomically(string path, string text, Encoding encoding)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        Guarded(path, () =>
        {
            try
            {
                var dir = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(dir))
                {
                    Directory.CreateDirectory(dir);
                }
                File.WriteAllText(temp, text, encoding);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        });
    }

    private static void Guarded(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IncidentsException($"cannot write '{path}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}

/// <summary>Where an output goes: the path the user typed, the file written (a link's target) and its kind now.</summary>
public sealed record OutputTarget(string Path, string Target, FileKind Kind);
