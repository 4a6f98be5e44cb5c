using System.Security.Cryptography;
using System.Text;

namespace Hokusai.Incidents.Sharing;

/// <summary>
/// The shared folder (<c>incidents/</c> of a git repository): one directory per incident holding its
/// record (<c>incident.json</c>), its evidence files and its rendered documents, plus a README
/// listing every incident.
/// </summary>
public sealed class KnowledgeFolder(string root)
{
    public const string EnvironmentVariable = "HOKUSAI_INCIDENTS_KB";
    public const string DefaultName = "incidents";
    public const string ReadmeName = "README.md";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Root { get; } = Path.GetFullPath(root);

    public string DirectoryOf(string id) => Path.Combine(Root, id);

    public string RecordPath(string id) => Path.Combine(Root, id, FolderRecord.FileName);

    /// <summary>Ids of the incident directories (those holding a record).</summary>
    public IReadOnlyList<string> Ids()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        return [.. Directory.EnumerateDirectories(Root)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, FolderRecord.FileName)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The files whose changes sync reads back: the record and the evidence files, relative to the incident directory.</summary>
    public IReadOnlyList<string> TrackedFiles(string id)
    {
        var dir = DirectoryOf(id);
        var files = new List<string>();
        if (File.Exists(Path.Combine(dir, FolderRecord.FileName)))
        {
            files.Add(FolderRecord.FileName);
        }
        files.AddRange(EvidenceFiles.List(dir).Select(f => EvidenceFiles.RelativePath(f.Chunk)));
        return files;
    }

    public string ReadText(string id, string relative) => File.ReadAllText(Path.Combine(DirectoryOf(id), relative), Utf8);

    public static FileStamp Stamp(string path, bool withHash)
    {
        var info = new FileInfo(path);
        return new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks, withHash ? Hash(path) : "");
    }

    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream))[..32];
    }

    public static string HashText(string text) => Convert.ToHexString(SHA256.HashData(Utf8.GetBytes(text)))[..32];

    /// <summary>Writes a file only when its text differs, so unchanged files keep their time stamps and git sees nothing.</summary>
    public static bool WriteIfChanged(string path, string content)
    {
        var bytes = Utf8.GetBytes(content);
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            if (info.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return false;
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return true;
    }

    public void Delete(string id)
    {
        var dir = DirectoryOf(id);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The README table: id (linked), title, severity, status, start and services, newest first.</summary>
    public bool WriteReadme(IEnumerable<Incident> incidents)
    {
        var text = new StringBuilder();
        text.Append("# Incidents\n\n");
        text.Append("This folder is the team's incident knowledge base, kept by `incidents sync` (one directory per incident:\n");
        text.Append("`incident.json`, `evidence/*.jsonl` and the rendered documents). Edit through `incidents`, then sync.\n\n");
        text.Append("| id | title | severity | status | started | services |\n|---|---|---|---|---|---|\n");
        foreach (var i in incidents.OrderByDescending(i => i.Times.Started ?? i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            var started = i.Times.Started is { } s ? TimeInput.Format(s) : "";
            text.Append($"| [{Cell(i.Id)}]({i.Id}/) | {Cell(i.Title)} | {Vocabulary.Word(i.Severity)} | {Vocabulary.Word(i.Status)} | {started} | {Cell(string.Join(", ", i.Components.Services))} |\n");
        }
        return WriteIfChanged(Path.Combine(Root, ReadmeName), text.ToString());
    }

    private static string Cell(string text) =>
        text.ReplaceLineEndings(" ").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}

/// <summary>What a file looked like at the last sync: size and time for a cheap check, a hash for a sure one.</summary>
public sealed record FileStamp(long Size, long Ticks, string Hash);
