using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hokusai.Incidents.Search;
using Hokusai.Incidents.Storage;
using LiteDB;
using Scriban;
using Scriban.Runtime;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// What an engineer waits for: the <c>incidents</c> program started as a process, from start to exit,
/// beside a baseline measured in the same run — a .NET hello-world's start, LiteDB's own InsertBulk
/// in its default direct mode, <c>grep -ri</c> writing its matches to a file, and Scriban rendering
/// the same incident through a trivial template. Point <c>HOKUSAI_BENCH_INCIDENTS</c> at a published
/// <c>incidents</c>; without it the build output beside this program is used (a smoke run).
/// </summary>
public sealed class WholeProcessBenchmark : IBenchmark
{
    /// <summary>Queries as typed into <c>incidents search</c>, and the literal grep gets for the same question.</summary>
    private static readonly (string What, string[] Query, string Grep)[] Queries =
    [
        ("phrase", ["\"certificate expired\""], "certificate expired"),
        ("rare term", ["ECONNREFUSED"], "ECONNREFUSED"),
        ("host:port", ["10.0.3.219:5000"], "10.0.3.219:5000"),
        ("path token", ["/health/alb"], "/health/alb"),
        ("common term", ["timeout"], "timeout"),
    ];

    public string Name => "process";
    public string Description =>
        "whole process: start-up, attach of 1M events, one-shot search over 2k incidents + 1M events, render --doc all, each vs its baseline";

    public void Run(BenchmarkContext context)
    {
        var program = IncidentsProgram.Locate();
        Console.WriteLine($"incidents: {program.Describe()}; hello world: {program.Hello().Describe()}");
        var dir = context.TempDirectory("process");
        // A smoke run (CI) only shows every step still works: one run each.
        var runs = context.Scale >= 0.1 ? 10 : 1;
        // HOKUSAI_BENCH_STEPS=startup,render (say) runs only those steps: the full ingest and search
        // take many minutes, the start-up and render figures a few seconds.
        var steps = Environment.GetEnvironmentVariable("HOKUSAI_BENCH_STEPS") is { Length: > 0 } only
            ? only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : null;
        bool Wanted(string step) => steps is null || steps.Contains(step);
        if (Wanted("startup"))
        {
            StartUp(program, dir, runs);
        }
        if (Wanted("ingest"))
        {
            Ingest(program, dir, context.Size(1_000_000));
        }
        if (Wanted("search"))
        {
            Search(program, dir, context.Size(2_000), context.Size(1_000_000), runs);
        }
        if (Wanted("render"))
        {
            Render(program, dir, context.Size(100), context.Size(1_000), context.Size(10_000), Math.Min(runs, 5));
        }
    }

    private static void StartUp(IncidentsProgram program, string dir, int runs)
    {
        var db = Path.Combine(dir, "small.db");
        var caseFile = Path.Combine(RepositoryRoot(), "incidents", "2025-08-18-model-registration-failure");
        program.Run(db, "import", caseFile).ShouldSucceed();
        program.Run(db, "search", "warm").ShouldSucceed(); // builds the index once, outside the timing
        const string id = "2025-08-18-model-registration-failure";
        var hello = program.Hello();
        var baseline = Median(runs, () => hello.Run(null).Elapsed);
        Console.WriteLine($"start-up on a small store (median of {runs}), hello world {baseline.TotalMilliseconds:N0} ms:");
        foreach (var args in new[] { new[] { "--version" }, ["list"], ["show", id], ["search", "timeout"] })
        {
            var ours = Median(runs, () => program.Run(db, args).ShouldSucceed().Elapsed);
            BenchmarkContext.Report($"  incidents {string.Join(' ', args)}", ours, baseline, "hello world");
        }
    }

    private static void Ingest(IncidentsProgram program, string dir, int count)
    {
        var file = Path.Combine(dir, "events.json");
        AwsIngestBenchmark.WriteFile(file, new IncidentGenerator(), count);
        var db = Path.Combine(dir, "ingest.db");
        program.Run(db, "new", "Ingest benchmark", "--id", "bench-ingest").ShouldSucceed();
        var run = program.Run(db, "attach", "bench-ingest", file, "--group", "/ecs/hokusai-api-development").ShouldSucceed();

        // The same documents, read back, through LiteDB alone: a warm-up file first, then the timing.
        List<BsonDocument> docs;
        using (var read = new LiteDatabase(new ConnectionString { Filename = db, Connection = ConnectionType.Direct }))
        {
            docs = read.GetCollection("evidence").FindAll().ToList();
        }
        if (docs.Count != count)
        {
            throw new InvalidOperationException($"attach stored {docs.Count} of {count} events");
        }
        InsertBulk(docs.Take(Math.Min(count, 20_000)), Path.Combine(dir, "warm-raw.db"));
        var baseline = BenchmarkContext.Time(() => InsertBulk(docs, Path.Combine(dir, "raw.db")));
        BenchmarkContext.Report($"incidents attach of {count:N0} events (stored and searchable)", run.Elapsed, baseline, "LiteDB InsertBulk (direct)", count);
        Console.WriteLine($"  attach reaches {baseline / run.Elapsed:P0} of LiteDB's InsertBulk rate (target >= 50 %)");
    }

    private static void InsertBulk(IEnumerable<BsonDocument> docs, string path)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var col = db.GetCollection("evidence");
        col.EnsureIndex("key", unique: true);
        col.InsertBulk(docs, batchSize: 5000);
    }

    private static void Search(IncidentsProgram program, string dir, int incidents, int events, int runs)
    {
        // HOKUSAI_BENCH_SEARCH_DIR keeps the store and exported text there and reuses them on the next
        // run of the same size; an index of an older layout is rebuilt by the first (untimed) search.
        var kept = Environment.GetEnvironmentVariable("HOKUSAI_BENCH_SEARCH_DIR");
        var perIncident = Math.Max(1, events / incidents);
        if (!string.IsNullOrEmpty(kept))
        {
            dir = Path.GetFullPath(kept);
        }
        var complete = Path.Combine(dir, $"complete-{incidents}x{perIncident}");
        var db = Path.Combine(dir, "search.db");
        var export = Path.Combine(dir, "search-export");
        if (!string.IsNullOrEmpty(kept) && File.Exists(complete))
        {
            Console.WriteLine($"search: reusing {dir}");
        }
        else
        {
            if (!string.IsNullOrEmpty(kept) && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
            BuildSearchStore(db, export, incidents, perIncident);
            File.WriteAllText(complete, "");
        }
        var warm = program.Run(db, "search", "warm").ShouldSucceed();
        Console.WriteLine($"search: first search {warm.Elapsed.TotalSeconds:N1} s{(warm.Error.Length > 0 ? $" ({warm.Error.Trim()})" : "")}");
        var matches = Path.Combine(dir, "grep-matches.txt");
        // Rounds of every query (ours, then grep), not all runs of one query before the next: whatever
        // else keeps the machine busy for a few seconds (at first, the build `dotnet run` just did) then
        // falls on a run or two of each query, which the median leaves out. Run back to back, it fell
        // on every run of the first query and doubled the phrase's time.
        var ours = Queries.Select(_ => new List<TimeSpan>()).ToArray();
        var grep = Queries.Select(_ => new List<TimeSpan>()).ToArray();
        var hits = new int[Queries.Length];
        for (var r = 0; r < runs; r++)
        {
            for (var q = 0; q < Queries.Length; q++)
            {
                var run = program.Run(db, ["search", .. Queries[q].Query, "--json"]).ShouldSucceed();
                hits[q] = CountHits(run.Out);
                ours[q].Add(run.Elapsed);
                grep[q].Add(Grep(Queries[q].Grep, export, matches));
            }
        }
        for (var q = 0; q < Queries.Length; q++)
        {
            var (what, query, _) = Queries[q];
            BenchmarkContext.Report($"  incidents search {string.Join(' ', query)} ({what}, {hits[q]} hit(s) shown)",
                Median(ours[q]), Median(grep[q]), "grep -ri to a file");
        }
    }

    private static void BuildSearchStore(string db, string export, int incidents, int perIncident)
    {
        Directory.CreateDirectory(export);
        var gen = new IncidentGenerator();
        var build = Stopwatch.StartNew();
        using (var store = LiteDbIncidentStore.Open(db))
        {
            for (var i = 0; i < incidents; i++)
            {
                var incident = store.Put(gen.Incident(i));
                var evidence = gen.LogEvents(incident.Id, perIncident).ToList();
                store.AddEvidence(evidence);
            }
            using var index = SearchIndex.Open(IndexSchema.DirectoryFor(store.Location));
            index.Rebuild(store);
            // The text grep reads: every incident as exported, and every evidence line with its number.
            foreach (var incident in store.List())
            {
                var text = new StringBuilder(Serialization.IncidentJson.Serialize(incident)).Append('\n');
                foreach (var e in store.ListEvidence(incident.Id))
                {
                    text.Append(e.Key).Append(' ').Append(e.Source).Append(' ').Append(e.Content).Append('\n');
                }
                File.WriteAllText(Path.Combine(export, incident.Id + ".txt"), text.ToString());
            }
        }
        Console.WriteLine($"search: {incidents:N0} incidents, {(long)incidents * perIncident:N0} events stored, indexed and exported in {build.Elapsed.TotalSeconds:N1} s");
    }

    private static int CountHits(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("hits").GetArrayLength();
    }

    /// <summary>grep printing every matching line into a file (given /dev/null, GNU grep stops at the first match).</summary>
    private static TimeSpan Grep(string pattern, string directory, string output)
    {
        var sw = Stopwatch.StartNew();
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", "grep -r -i -- \"$1\" \"$2\" > \"$3\"; test $? -le 1", "grep", pattern, directory, output })
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"grep failed with exit {p.ExitCode}");
        }
        return sw.Elapsed;
    }

    private static void Render(IncidentsProgram program, string dir, int hypotheses, int tasks, int lines, int runs)
    {
        var (incident, evidence) = RenderBenchmark.LargeIncident(hypotheses, tasks, lines);
        var db = Path.Combine(dir, "render.db");
        using (var store = LiteDbIncidentStore.Open(db))
        {
            store.Put(incident);
            store.AddEvidence(evidence);
        }
        program.Run(db, "search", "warm").ShouldSucceed();
        var outDir = Path.Combine(dir, "rendered");
        var ours = Median(runs, () => program.Run(db, "render", incident.Id, "--doc", "all", "--out", outDir).ShouldSucceed().Elapsed);
        var trivial = Template.Parse(RenderBenchmark.TrivialTemplate);
        TimeSpan Scriban()
        {
            var sw = Stopwatch.StartNew();
            var globals = new ScriptObject { ["incident"] = incident, ["evidence"] = evidence };
            var ctx = new TemplateContext { LoopLimit = 0, LimitToString = 0, OutputLimit = 0, MemberRenamer = StandardMemberRenamer.Default };
            ctx.PushGlobal(globals);
            trivial.Render(ctx);
            return sw.Elapsed;
        }
        Scriban();
        var scriban = Median(runs, Scriban);
        // A process rendering through Scriban pays a start too: the hello world's, measured now.
        var hello = program.Hello();
        var start = Median(runs, () => hello.Run(null).Elapsed);
        BenchmarkContext.Report($"incidents render --doc all ({hypotheses} hypotheses, {tasks} tasks, {lines} evidence)", ours, start + scriban,
            $"hello-world start {start.TotalMilliseconds:N0} ms + Scriban trivial template {scriban.TotalMilliseconds:N1} ms");
    }

    private static TimeSpan Median(int runs, Func<TimeSpan> measure) =>
        Median([.. Enumerable.Range(0, runs).Select(_ => measure())]);

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    internal static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Hokusai.Incidents.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository (its templates and example are needed)");
    }
}

/// <summary>How to start <c>incidents</c> (and a hello world the same way): an executable, or <c>dotnet</c> with a dll.</summary>
internal sealed record IncidentsProgram(string FileName, IReadOnlyList<string> Leading)
{
    public const string Variable = "HOKUSAI_BENCH_INCIDENTS";

    public static IncidentsProgram Locate()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given))
        {
            var full = Path.GetFullPath(given);
            return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new IncidentsProgram("dotnet", [full]) : new IncidentsProgram(full, []);
        }
        // The build output beside this program: enough to show the benchmark runs, not a published binary.
        return new IncidentsProgram("dotnet", [Path.Combine(AppContext.BaseDirectory, "incidents.dll")]);
    }

    /// <summary>This benchmark program's <c>hello</c> (a .NET hello world), started the same way: by its apphost or by dotnet.</summary>
    public IncidentsProgram Hello()
    {
        var host = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Hokusai.Incidents.Benchmarks.exe" : "Hokusai.Incidents.Benchmarks");
        return FileName != "dotnet" && File.Exists(host)
            ? new IncidentsProgram(host, ["hello"])
            : new IncidentsProgram("dotnet", [Path.Combine(AppContext.BaseDirectory, "Hokusai.Incidents.Benchmarks.dll"), "hello"]);
    }

    public string Describe() => string.Join(' ', Leading.Prepend(FileName));

    /// <summary>Runs to exit with the database given by its variable; output is read, not shown.</summary>
    public ProcessRun Run(string? db, params string[] args)
    {
        var start = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WholeProcessBenchmark.RepositoryRoot(),
        };
        if (db is not null)
        {
            start.Environment["HOKUSAI_INCIDENTS_DB"] = db;
        }
        foreach (var a in Leading.Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var elapsed = sw.Elapsed;
        return new ProcessRun(string.Join(' ', args), p.ExitCode, output, error.GetAwaiter().GetResult(), elapsed);
    }
}

internal sealed record ProcessRun(string Command, int ExitCode, string Out, string Error, TimeSpan Elapsed)
{
    public ProcessRun ShouldSucceed() => ExitCode == 0
        ? this
        : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"incidents {Command} exited {ExitCode}: {Error.Trim()}"));
}
