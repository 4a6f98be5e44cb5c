using System.Text;

namespace Hokusai.Incidents.Site;

/// <summary>What one build did to the output directory.</summary>
public sealed record SiteBuildResult(string Directory, int Incidents, IReadOnlyList<string> WrittenFiles, int Unchanged, IReadOnlyList<string> RemovedFiles)
{
    /// <summary>Incidents whose pages were built in this run; the others' pages were kept, built from the same inputs before.</summary>
    public IReadOnlyList<string> BuiltIncidents { get; init; } = [];

    public int Written => WrittenFiles.Count;
    public int Removed => RemovedFiles.Count;
}

/// <summary>
/// Writes a site's files into its directory: a file whose bytes are already there is left alone (so a
/// rebuild after one incident changed rewrites only the pages that show it), files of an earlier build
/// that are no longer part of the site are removed, and a directory with other content is refused.
/// </summary>
public sealed class SiteWriter
{
    /// <summary>Lists the files of the last build; without it the writer will not touch a non-empty directory.</summary>
    public const string ManifestName = "site-files.txt";

    /// <summary>What each incident's pages were built from (a hash per incident), so a rebuild can skip an unchanged incident.</summary>
    public const string InputsName = "site-inputs.txt";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly HashSet<string> _previous;
    private readonly SortedSet<string> _files = new(StringComparer.Ordinal);
    private readonly List<string> _written = [];
    private int _unchanged;

    private readonly Dictionary<string, string> _previousInputs;
    private readonly SortedDictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private readonly List<string> _built = [];

    private SiteWriter(string directory, HashSet<string> previous, Dictionary<string, string> previousInputs)
    {
        Directory = directory;
        _previous = previous;
        _previousInputs = previousInputs;
    }

    public string Directory { get; }

    public static SiteWriter Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        var manifest = Path.Combine(full, ManifestName);
        if (File.Exists(full))
        {
            throw new InvalidInputException($"output '{directory}' is a file, not a directory");
        }
        if (System.IO.Directory.Exists(full) && !File.Exists(manifest) && System.IO.Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new InvalidInputException(
                $"output directory '{directory}' is not empty and holds no site written by 'incidents site' ({ManifestName}); choose a new or empty directory");
        }
        var previous = File.Exists(manifest)
            ? File.ReadAllLines(manifest).Where(l => l.Length > 0 && IsSafeRelative(l)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var inputsPath = Path.Combine(full, InputsName);
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(manifest) && File.Exists(inputsPath))
        {
            foreach (var line in File.ReadLines(inputsPath))
            {
                // "HASH<TAB>ID": the id last, as it is the part that could hold anything.
                if (line.Split('\t', 2) is [var hash, var id])
                {
                    inputs[id] = hash;
                }
            }
        }
        System.IO.Directory.CreateDirectory(full);
        return new SiteWriter(full, previous, inputs);
    }

    /// <summary>
    /// Keeps a group's pages from the last build when they were built from the same inputs and are all
    /// still there: the caller then skips building them. Either way the inputs are recorded for the next build.
    /// </summary>
    public bool KeepIfBuiltFrom(string key, string inputsHash, string folderPrefix)
    {
        lock (_inputs)
        {
            _inputs[key] = inputsHash;
        }
        var files = _previousInputs.GetValueOrDefault(key) == inputsHash
            ? _previous.Where(p => p.StartsWith(folderPrefix, StringComparison.Ordinal)).ToList()
            : [];
        if (files.Count == 0 || !files.All(f => File.Exists(Path.Combine(Directory, f))))
        {
            lock (_built)
            {
                _built.Add(key);
            }
            return false;
        }
        lock (_files)
        {
            foreach (var f in files)
            {
                if (!_files.Add(f))
                {
                    throw new InvalidOperationException($"the site writes '{f}' twice");
                }
            }
        }
        Interlocked.Add(ref _unchanged, files.Count);
        return true;
    }

    public void Write(string relativePath, string content) => Write(relativePath, Utf8.GetBytes(content));

    public void Write(string relativePath, byte[] content)
    {
        var path = Path.Combine(Directory, relativePath);
        lock (_files)
        {
            if (!_files.Add(relativePath))
            {
                throw new InvalidOperationException($"the site writes '{relativePath}' twice");
            }
        }
        var info = new FileInfo(path);
        if (info.Exists && info.Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            Interlocked.Increment(ref _unchanged);
            return;
        }
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside and rename, so a reader (or a host syncing the folder) never sees half a page.
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
        lock (_written)
        {
            _written.Add(relativePath);
        }
    }

    /// <summary>Removes what the last build wrote and this one did not, and records this build's files.</summary>
    public SiteBuildResult Finish(int incidents)
    {
        var removed = new List<string>();
        foreach (var stale in _previous.Where(p => !_files.Contains(p)).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(Directory, stale);
            if (File.Exists(path))
            {
                File.Delete(path);
                removed.Add(stale);
                var folder = Path.GetDirectoryName(path)!;
                while (folder.Length > Directory.Length && System.IO.Directory.Exists(folder) && !System.IO.Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    System.IO.Directory.Delete(folder);
                    folder = Path.GetDirectoryName(folder)!;
                }
            }
        }
        var manifest = string.Join('\n', _files) + "\n";
        var manifestPath = Path.Combine(Directory, ManifestName);
        if (!File.Exists(manifestPath) || File.ReadAllText(manifestPath) != manifest)
        {
            File.WriteAllText(manifestPath, manifest, Utf8);
        }
        var inputs = string.Concat(_inputs.Select(i => $"{i.Value}\t{i.Key}\n"));
        var inputsPath = Path.Combine(Directory, InputsName);
        if (!File.Exists(inputsPath) || File.ReadAllText(inputsPath) != inputs)
        {
            File.WriteAllText(inputsPath, inputs, Utf8);
        }
        return new SiteBuildResult(Directory, incidents, [.. _written.Order(StringComparer.Ordinal)], _unchanged, removed)
        {
            BuiltIncidents = [.. _built.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Only paths this writer could have written: relative, '/'-separated, never climbing out.</summary>
    private static bool IsSafeRelative(string path) =>
        !Path.IsPathRooted(path) && !path.Split('/').Any(s => s is "" or "." or "..") && !path.Contains('\\');
}
