namespace Hokusai.Incidents.Sharing;

/// <summary>
/// Registers the merge driver in a repository: <c>.gitattributes</c> inside the folder (so it travels
/// with the folder to every clone) and the driver command in the repository's own git config (which
/// git never shares, so each clone runs this once).
/// </summary>
public static class GitSetup
{
    public const string AttributesBegin = "# incidents sync: structural merges of records and evidence";

    /// <summary>The attribute lines: records and evidence through the driver; generated Markdown by union (sync renders it again).</summary>
    public static readonly IReadOnlyList<string> AttributeLines =
    [
        AttributesBegin,
        $"*/{FolderRecord.FileName} merge={MergeDriver.Name}",
        $"*/{EvidenceFiles.DirectoryName}/*{EvidenceFiles.Extension} merge={MergeDriver.Name}",
        $"{KnowledgeFolder.ReadmeName} merge=union",
        "*/*.md merge=union",
    ];

    /// <summary>Returns what was done, one line each.</summary>
    public static IReadOnlyList<string> Register(string folderRoot, string driverCommand)
    {
        var repo = GitCommand.FindRoot(folderRoot)
            ?? throw new InvalidInputException($"'{folderRoot}' is not inside a git repository");
        var git = new GitCommand(repo);
        var done = new List<string>();
        Directory.CreateDirectory(folderRoot);
        var attributes = Path.Combine(folderRoot, ".gitattributes");
        var existing = File.Exists(attributes) ? File.ReadAllLines(attributes).ToList() : [];
        var missing = AttributeLines.Where(l => !existing.Contains(l)).ToList();
        if (missing.Count > 0)
        {
            File.WriteAllLines(attributes, existing.Concat(missing));
            done.Add($"wrote {Path.GetRelativePath(repo, attributes)} (commit it, so every clone merges the same way)");
        }
        git.Check("config", $"merge.{MergeDriver.Name}.name", "incidents: structural merge of incident records and evidence");
        git.Check("config", $"merge.{MergeDriver.Name}.driver", $"{driverCommand} merge-driver %O %A %B %P");
        done.Add($"set merge.{MergeDriver.Name}.driver in {Path.Combine(repo, ".git", "config")}");
        // The driver reads the other side's records through the merge git names while merging; a rebase does not name it.
        if (git.Run("config", "--get", "pull.rebase").ExitCode != 0)
        {
            git.Check("config", "pull.rebase", "false");
            done.Add("set pull.rebase false in this repository (git pull merges, so records merge structurally)");
        }
        return done;
    }
}

/// <summary>Where the shared folder is: the option, the environment, a setting in the store, else <c>incidents/</c> at the git root.</summary>
public static class KnowledgeFolderLocation
{
    public const string SettingKey = "sync.folder";

    public static string Resolve(string? option, string? environment, string? setting, string workingDirectory)
    {
        var chosen = option ?? environment ?? setting;
        if (chosen is not null)
        {
            return Path.GetFullPath(chosen, workingDirectory);
        }
        var root = GitCommand.FindRoot(workingDirectory)
            ?? throw new InvalidInputException(
                $"'{workingDirectory}' is not inside a git repository: give --dir DIR or set {KnowledgeFolder.EnvironmentVariable}");
        return Path.Combine(root, KnowledgeFolder.DefaultName);
    }
}
