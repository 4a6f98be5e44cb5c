using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Files;

/// <summary>What a path names on disk: .NET's file APIs cannot tell a FIFO or a device from a regular file.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<FileKind>))]
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    Other,
}

public static class FileKinds
{
    /// <summary>
    /// The kind of <paramref name="path"/>; a symbolic link is followed when <paramref name="followLinks"/>
    /// is set (a dangling one is then <see cref="FileKind.Missing"/>).
    /// </summary>
    public static FileKind Of(string path, bool followLinks = true)
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                // The runtime's own stat shim (libSystem.Native): its status struct starts with two
                // ints, flags then st_mode, with the portable S_IF* values below.
                var status = new byte[512];
                var rc = followLinks ? NativeStat(path, status) : NativeLStat(path, status);
                if (rc != 0)
                {
                    return FileKind.Missing;
                }
                return (BitConverter.ToInt32(status, 4) & 0xF000) switch
                {
                    0x8000 => FileKind.Regular,
                    0x4000 => FileKind.Directory,
                    0xA000 => FileKind.SymbolicLink,
                    0x2000 => FileKind.CharacterDevice,
                    0x6000 => FileKind.BlockDevice,
                    0x1000 => FileKind.Fifo,
                    0xC000 => FileKind.Socket,
                    _ => FileKind.Other,
                };
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Fall through to what .NET itself can tell.
            }
        }
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null)
        {
            return FileKind.SymbolicLink;
        }
        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>The path with every symbolic link in it resolved (as far as the parts exist).</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full) ?? "/";
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            for (var hops = 0; hops < 40; hops++)
            {
                string? link;
                try
                {
                    link = new FileInfo(current).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    link = null;
                }
                if (link is null)
                {
                    break;
                }
                current = Path.GetFullPath(link, Path.GetDirectoryName(current) ?? "/");
            }
        }
        return current;
    }

    /// <summary>Describes a kind for a message: "a FIFO", "a character device".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int NativeStat(string path, byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int NativeLStat(string path, byte[] status);
}
