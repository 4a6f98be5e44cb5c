namespace Hokusai.Incidents.Rendering;

/// <summary>One template file: the document name it renders and where it came from.</summary>
public sealed record TemplateFile(string Name, string Path, bool Shipped)
{
    /// <summary>Why the file may not be used (a link out of its folder, not a regular file), or null.</summary>
    public string? Problem { get; init; }
}

/// <summary>
/// The templates available for rendering: the shipped ones, overridden by (and extended with) any in
/// a user directory. A document kind exists just by having a <c>NAME.sbn-md</c> file.
/// </summary>
public sealed class TemplateSet
{
    public const string Extension = ".sbn-md";
    public const string DirectoryName = "templates";
    public const string EnvironmentVariable = "HOKUSAI_INCIDENTS_TEMPLATES";

    /// <summary>The shipped documents, in the order <c>--doc all</c> renders them.</summary>
    public static readonly IReadOnlyList<string> StandardDocuments =
        ["investigation", "hypotheses", "root-cause", "fix-tasks", "status", "postmortem"];

    private readonly Dictionary<string, TemplateFile> _files;

    private TemplateSet(Dictionary<string, TemplateFile> files, string? shippedDirectory)
    {
        _files = files;
        ShippedDirectory = shippedDirectory;
    }

    public string? ShippedDirectory { get; }

    /// <summary>Every document kind, standard ones first in their usual order, then the rest by name.</summary>
    public IReadOnlyList<string> Names =>
    [
        .. StandardDocuments.Where(_files.ContainsKey),
        .. _files.Keys.Where(k => !StandardDocuments.Contains(k)).Order(StringComparer.Ordinal),
    ];

    public TemplateFile Get(string name)
    {
        var file = _files.TryGetValue(name, out var found)
            ? found
            : throw new InvalidInputException(
                $"unknown document '{name}': use all or one of {string.Join(", ", Names)} (or add {name}{Extension} to a --templates directory)");
        if (file.Problem is { } problem)
        {
            throw new TemplateException($"{file.Path}: {problem}");
        }
        return file;
    }

    /// <summary>
    /// Loads the shipped templates from <paramref name="shippedDirectory"/> (when it exists) and lets
    /// <paramref name="overrideDirectory"/> replace or add documents.
    /// </summary>
    public static TemplateSet Load(string? shippedDirectory, string? overrideDirectory)
    {
        var files = new Dictionary<string, TemplateFile>(StringComparer.Ordinal);
        if (shippedDirectory is not null && Directory.Exists(shippedDirectory))
        {
            AddFrom(files, shippedDirectory, shipped: true);
        }
        if (overrideDirectory is not null)
        {
            if (!Directory.Exists(overrideDirectory))
            {
                throw new InvalidInputException($"templates directory '{overrideDirectory}' does not exist");
            }
            AddFrom(files, overrideDirectory, shipped: false);
        }
        if (files.Count == 0)
        {
            throw new InvalidInputException(
                $"no templates found: the shipped {DirectoryName}/ directory is missing; give --templates DIR or set {EnvironmentVariable}");
        }
        return new TemplateSet(files, shippedDirectory);
    }

    /// <summary>
    /// Where the shipped templates are: beside the program (copied there by the build), else the first
    /// <c>templates/</c> directory holding templates found walking up from <paramref name="workingDirectory"/>.
    /// </summary>
    public static string? FindShipped(string baseDirectory, string workingDirectory)
    {
        var beside = Path.Combine(baseDirectory, DirectoryName);
        if (HasTemplates(beside))
        {
            return beside;
        }
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DirectoryName);
            if (HasTemplates(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool HasTemplates(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*" + Extension).Any();

    /// <summary>
    /// A template must be a regular file inside its folder: a link to /etc/shadow would otherwise render
    /// the secret into a document, and a FIFO or device would hang or never end.
    /// </summary>
    private static string? ProblemWith(string path, string directory)
    {
        var real = Files.FileKinds.RealPath(path);
        var folder = Files.FileKinds.RealPath(directory).TrimEnd('/') + "/";
        if (!real.StartsWith(folder, StringComparison.Ordinal))
        {
            return $"a template must be a file inside its templates folder, and this one leads to '{real}'";
        }
        var kind = Files.FileKinds.Of(real);
        return kind == Files.FileKind.Regular ? null : $"a template must be a regular file, and this one is {Files.FileKinds.Describe(kind)}";
    }

    private static void AddFrom(Dictionary<string, TemplateFile> files, string directory, bool shipped)
    {
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path)[..^Extension.Length];
            if (name.Length > 0)
            {
                files[name] = new TemplateFile(name, Path.GetFullPath(path), shipped) { Problem = ProblemWith(path, directory) };
            }
        }
    }
}
