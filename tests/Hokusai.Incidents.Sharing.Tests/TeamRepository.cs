using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Sharing.Tests;

/// <summary>
/// A bare repository and two clones (A and B), each with its own store, driven through the real
/// <c>git</c> command line and the real <c>incidents</c> CLI; the merge driver is the built program.
/// </summary>
public sealed class TeamRepository : IDisposable
{
    private readonly CliHarness _a = new();
    private readonly CliHarness _b = new();

    public TeamRepository()
    {
        Root = _a.PathOf("team");
        Directory.CreateDirectory(Root);
        Git(Root, "init", "-q", "--bare", "-b", "main", "shared.git");
        foreach (var name in new[] { "a", "b" })
        {
            Git(Root, "clone", "-q", Path.Combine(Root, "shared.git"), name);
            var clone = Path.Combine(Root, name);
            Git(clone, "config", "user.name", name);
            Git(clone, "config", "user.email", $"{name}@example.com");
        }
        // Every clone registers the driver once; the first also commits the attributes.
        Sync('a', "--setup-git", "--driver-command", DriverCommand);
        Commit('a', "set up the knowledge base");
        Git(CloneOf('a'), "push", "-q", "origin", "main");
        Git(CloneOf('b'), "pull", "-q", "origin", "main");
        Sync('b', "--setup-git", "--driver-command", DriverCommand);
    }

    public string Root { get; }

    /// <summary>The built CLI, as git starts it.</summary>
    public static string DriverCommand =>
        $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "incidents.dll")}\"";

    public string CloneOf(char who) => Path.Combine(Root, who == 'a' ? "a" : "b");

    public string FolderOf(char who) => Path.Combine(CloneOf(who), "incidents");

    public CliHarness Harness(char who) => who == 'a' ? _a : _b;

    public CliRun Incidents(char who, params string[] args) => Harness(who).Run(args);

    public CliRun Sync(char who, params string[] extra) =>
        Incidents(who, ["sync", "--dir", FolderOf(who), .. extra]).ShouldSucceed();

    public void Commit(char who, string message)
    {
        Git(CloneOf(who), "add", "-A");
        Git(CloneOf(who), "commit", "-q", "-m", message);
    }

    /// <summary>Sync, commit what changed and push (pulling first when the other side pushed).</summary>
    public void Publish(char who, string message)
    {
        Sync(who);
        Commit(who, message);
        Git(CloneOf(who), "push", "-q", "origin", "main");
    }

    public GitCommand.Result Pull(char who) => new GitCommand(CloneOf(who)).Run("pull", "-q", "--no-edit", "origin", "main");

    public static string Git(string directory, params string[] args) => new GitCommand(directory).Check(args);

    public IReadOnlyList<string> ChangedFiles(char who) =>
        [.. Git(CloneOf(who), "status", "--porcelain", "--untracked-files=all").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[3..])];

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
