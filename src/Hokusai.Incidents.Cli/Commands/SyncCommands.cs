using System.CommandLine;
using Hokusai.Incidents.Rendering;
using Hokusai.Incidents.Sharing;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>sync</c> with the shared folder in git, and the <c>merge-driver</c> git runs for it.</summary>
internal static class SyncCommands
{
    /// <summary>Above this many changed incidents the search index is left to rebuild itself on the next search.</summary>
    private const int IndexHookLimit = 50;

    public static IEnumerable<Command> Create(CliApp app) => [Sync(app), Driver(app)];

    private static Command Sync(CliApp app)
    {
        var dir = Options.Text("--dir",
            $"The shared folder (default: ${KnowledgeFolder.EnvironmentVariable}, else the one remembered with --remember, else incidents/ at the root of this git repository)");
        var remember = new Option<bool>("--remember") { Description = "Keep --dir in the database as this store's shared folder" };
        var setupGit = new Option<bool>("--setup-git") { Description = "Register the merge driver for the folder's records in this repository (.gitattributes and git config), then sync" };
        var driverCommand = Options.Text("--driver-command", "Command git runs as the merge driver (default: this program)");
        var json = Options.Json();
        var command = new Command("sync", "Two-way sync of this store with the shared incidents folder of a git repository")
        {
            dir, remember, setupGit, driverCommand, json,
        };
        app.SetAction(command, inv =>
        {
            var option = inv.Get(dir);
            var root = KnowledgeFolderLocation.Resolve(option, inv.Env.Variable(KnowledgeFolder.EnvironmentVariable),
                option is null && inv.Env.Variable(KnowledgeFolder.EnvironmentVariable) is null ? inv.Store.GetCheckpoint(KnowledgeFolderLocation.SettingKey) : null,
                inv.Env.WorkingDirectory);
            if (inv.Get(remember))
            {
                inv.Store.SetCheckpoint(KnowledgeFolderLocation.SettingKey, root);
            }
            if (inv.Get(setupGit))
            {
                foreach (var line in GitSetup.Register(root, inv.Get(driverCommand) ?? ThisProgram()))
                {
                    inv.Notice(line);
                }
            }
            var folder = new KnowledgeFolder(root);
            var stateFiles = new SyncStateFiles(Path.GetFullPath(inv.DatabasePath, inv.Env.WorkingDirectory), root);
            // Nothing changed on either side (told by file stamps): no store, templates or records are opened.
            var report = KnowledgeBaseSync.Unchanged(folder, stateFiles);
            if (report is null)
            {
                var templates = TemplateSet.Load(TemplateSet.FindShipped(AppContext.BaseDirectory, inv.Env.WorkingDirectory),
                    inv.Env.Variable(TemplateSet.EnvironmentVariable) is { } t ? inv.FullPath(t) : null);
                var sync = new KnowledgeBaseSync(inv.Store, folder, stateFiles, new SyncOptions { Templates = templates, Clock = inv.Env.Clock });
                report = TerminalProgress.Run(inv, "Syncing", progress =>
                    sync.Run().WithHooks(inv, progress));
            }
            if (inv.Get(json))
            {
                inv.Out.Json(report);
            }
            else
            {
                Print(inv, report);
            }
            return 0;
        });
        return command;
    }

    private static SyncReport WithHooks(this SyncReport report, CliInvocation inv, IProgress<(double Done, double Total, string Detail)>? progress)
    {
        progress?.Report((1, 1, ""));
        var changed = report.Incidents.Where(i => i.StoreChanged).ToList();
        foreach (var r in report.Incidents.Where(i => i.StoreDeleted))
        {
            inv.Deleted(r.Id);
        }
        if (changed.Count <= IndexHookLimit)
        {
            foreach (var r in changed)
            {
                inv.Changed(r.Id);
            }
        }
        return report;
    }

    private static void Print(CliInvocation inv, SyncReport report)
    {
        foreach (var r in report.Incidents)
        {
            inv.Out.Line($"{r.Id}: {r.Action}{(r.Detail is null ? "" : $" ({r.Detail})")}");
            foreach (var c in r.Conflicts)
            {
                inv.Out.Line($"  conflict on {c.Path}: folder {c.Folder ?? "(none)"} kept, local {c.Local ?? "(none)"} recorded in a note (was {c.Base ?? "(none)"})");
            }
        }
        var conflicts = report.Conflicts;
        inv.Out.Line($"{Path.GetRelativePath(inv.Env.WorkingDirectory, report.Folder)}: {report.Incidents.Count} incident(s) synced, {report.Unchanged} unchanged" +
            (conflicts > 0 ? $", {conflicts} conflict(s) kept as notes" : ""));
    }

    /// <summary>How git should start this very program: the apphost, or <c>dotnet incidents.dll</c>.</summary>
    private static string ThisProgram()
    {
        var process = Environment.ProcessPath ?? "incidents";
        var dll = Path.Combine(AppContext.BaseDirectory, "incidents.dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && File.Exists(dll)
            ? $"\"{process}\" \"{dll}\""
            : $"\"{process}\"";
    }

    private static Command Driver(CliApp app)
    {
        var @base = new Argument<string>("base") { Description = "The common ancestor's version (%O)" };
        var ours = new Argument<string>("ours") { Description = "Our version, overwritten with the result (%A)" };
        var theirs = new Argument<string>("theirs") { Description = "Their version (%B)" };
        var path = new Argument<string>("path") { Description = "The file's path in the repository (%P)" };
        var command = new Command("merge-driver", "Git merge driver for incident records and evidence (set up by 'incidents sync --setup-git')")
        {
            @base, ours, theirs, path,
        };
        command.Hidden = true;
        app.SetAction(command, inv =>
        {
            var repo = GitCommand.FindRoot(inv.Env.WorkingDirectory);
            var outcome = new MergeDriver(repo is null ? null : new GitCommand(repo))
                .Run(inv.FullPath(inv.Get(@base)!), inv.FullPath(inv.Get(ours)!), inv.FullPath(inv.Get(theirs)!), inv.Get(path)!);
            if (outcome.Message is { } message)
            {
                inv.Env.Error.WriteLine($"incidents: merge conflict: {message}");
            }
            return outcome.ExitCode;
        });
        return command;
    }
}
