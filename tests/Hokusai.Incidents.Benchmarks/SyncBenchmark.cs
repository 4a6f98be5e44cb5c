using System.Diagnostics;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// <c>incidents sync</c> as a user runs it (a whole process each time): a folder of 2,000 incidents with
/// nothing changed beside <c>git status</c> on the same repository, the first sync into an empty store
/// as incidents per second, and one incident of 1,000,000 log events split into evidence files.
/// </summary>
public sealed class SyncBenchmark : IBenchmark
{
    public string Name => "sync";

    public string Description => "incidents sync of 2,000 unchanged incidents vs git status; first sync rate; 1M-event incident";

    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "incidents.dll");

    /// <summary>An empty git repository with an author, as a team's knowledge-base clone would have.</summary>
    private static void NewRepository(string path)
    {
        Directory.CreateDirectory(path);
        Git(path, "init", "-q", "-b", "main");
        Git(path, "config", "user.name", "bench");
        Git(path, "config", "user.email", "bench@example.com");
    }

    public void Run(BenchmarkContext context)
    {
        var dir = context.TempDirectory("sync");
        var repo = Path.Combine(dir, "repo");
        NewRepository(repo);
        var folder = Path.Combine(repo, "incidents");
        var count = context.Size(2_000);
        var writer = Path.Combine(dir, "writer.db");
        var generator = new IncidentGenerator();
        using (var store = LiteDbIncidentStore.Open(writer))
        {
            for (var i = 0; i < count; i++)
            {
                var incident = store.Put(generator.Incident(i));
                store.AddEvidence([.. generator.LogEvents(incident.Id, 20)]);
            }
        }
        var export = Time(() => Incidents(writer, "sync", "--dir", folder));
        Console.WriteLine($"first sync, store -> empty folder: {count:N0} incidents in {export.TotalSeconds:N1} s = {count / export.TotalSeconds:N0} incidents/s (whole process)");
        Git(repo, "add", "-A");
        Git(repo, "commit", "-q", "-m", "knowledge base");

        var reader = Path.Combine(dir, "reader.db");
        var import = Time(() => Incidents(reader, "sync", "--dir", folder));
        Console.WriteLine($"first sync, folder -> empty store: {count:N0} incidents in {import.TotalSeconds:N1} s = {count / import.TotalSeconds:N0} incidents/s (whole process)");

        // The first sync after the import still finds files written moments before its last state (too
        // recent for their time stamps to prove them unchanged), so it compares their contents once.
        var settling = Time(() => Incidents(reader, "sync", "--dir", folder));
        Console.WriteLine($"first sync after that, nothing changed (contents compared once): {settling.TotalMilliseconds:N0} ms (whole process)");
        // Best of five for both: the figure is about the work, not about other load on the machine.
        var unchanged = Enumerable.Range(0, 5).Select(_ => Time(() => Incidents(reader, "sync", "--dir", folder))).Min();
        var status = Enumerable.Range(0, 5).Select(_ => Time(() => Git(repo, "status", "--porcelain"))).Min();
        BenchmarkContext.Report($"sync of {count:N0} unchanged incidents (whole process, best of 5)", unchanged, status, "git status (best of 5)");
        Console.WriteLine($"  load average: {LoadAverage()}");
        var changed = Git(repo, "status", "--porcelain");
        if (changed.Length > 0)
        {
            throw new InvalidOperationException($"an unchanged sync changed files:\n{changed}");
        }

        var events = context.Size(1_000_000);
        var big = Path.Combine(dir, "big.db");
        using (var store = LiteDbIncidentStore.Open(big))
        {
            var incident = store.Put(generator.Incident(count + 1));
            foreach (var batch in generator.LogEvents(incident.Id, events).Chunk(50_000))
            {
                store.AddEvidence(batch);
            }
        }
        var bigRepo = Path.Combine(dir, "big");
        NewRepository(bigRepo);
        var bigFolder = Path.Combine(bigRepo, "incidents");
        var bigSync = Time(() => Incidents(big, "sync", "--dir", bigFolder));
        var files = Directory.GetFiles(bigFolder, "*.jsonl", SearchOption.AllDirectories);
        var largest = files.Max(f => File.ReadLines(f).Count());
        Console.WriteLine($"{events:N0}-event incident: synced in {bigSync.TotalSeconds:N1} s into {files.Length} evidence files of at most {largest:N0} items");
        Git(bigRepo, "add", "-A");
        Git(bigRepo, "commit", "-q", "-m", "big");
        using (var store = LiteDbIncidentStore.Open(big))
        {
            var id = store.List().Single().Id;
            store.AddEvidence([.. generator.LogEvents(id, 10).Select((e, i) => e with { DedupKey = $"more-{i}", Content = e.Content + " (again)" })]);
        }
        var more = Time(() => Incidents(big, "sync", "--dir", bigFolder));
        var touched = Git(bigRepo, "status", "--porcelain", "--untracked-files=all").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine($"  10 more events: synced in {more.TotalSeconds:N1} s, files changed: {touched.Length} ({string.Join(", ", touched.Select(c => c[3..]))})");
        Console.WriteLine($"  load average: {LoadAverage()}");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    private static TimeSpan Time(Action action) => BenchmarkContext.Time(action);

    private static string Incidents(string db, params string[] args) => Run("dotnet", [Cli, "--db", db, .. args], null);

    private static string Git(string repo, params string[] args) => Run("git", args, repo);

    private static string Run(string program, string[] args, string? workingDirectory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {error.Result}");
        }
        return output;
    }
}
