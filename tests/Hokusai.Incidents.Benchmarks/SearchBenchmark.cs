using System.Diagnostics;
using System.Text;
using Hokusai.Incidents.Search;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// Index build rate and search latency over generated incidents and log events, beside
/// <c>grep -ri</c> answering the same questions over the same text exported to files.
/// The index is built straight from the generated records (the store is measured by "store").
/// </summary>
public sealed class SearchBenchmark : IBenchmark
{
    /// <summary>A query as typed into <c>incidents search</c>, and the literal grep gets for it.</summary>
    private static readonly (string Query, string Grep)[] Queries =
    [
        ("504 after deploy", "504 Gateway Timeout after deploy"),
        ("health check /health/alb", "/health/alb"),
        ("SyntaxError '(' was never closed", "SyntaxError '(' was never closed"),
        ("password authentication failed", "password authentication failed"),
        ("10.0.3.219:5000", "10.0.3.219:5000"),
        ("ECONNREFUSED", "ECONNREFUSED"),
        ("hokusai-api-development", "hokusai-api-development"),
        ("OOMKilled container restarts", "OOMKilled"),
        ("redis 6379 blocked", "6379"),
        ("\"certificate expired\"", "certificate expired"),
        ("timeouts", "timeout"),
        ("dns* registry", "dns"),
    ];

    public string Name => "search";
    public string Description => "Lucene index build rate and search p50/p95 over 10k incidents + 1M log events vs grep -ri";

    public void Run(BenchmarkContext context)
    {
        var incidents = context.Size(10_000);
        var events = context.Size(1_000_000);
        var perIncident = Math.Max(1, events / incidents);
        // HOKUSAI_BENCH_SEARCH_DIR keeps the built index and exported text there and reuses them on
        // the next run, for measuring query changes without a minute of indexing each time.
        var kept = Environment.GetEnvironmentVariable("HOKUSAI_BENCH_SEARCH_DIR");
        var dir = string.IsNullOrEmpty(kept) ? context.TempDirectory("search") : Path.GetFullPath(kept);
        var exportDir = Path.Combine(dir, "export");
        var reuse = !string.IsNullOrEmpty(kept) && File.Exists(Path.Combine(dir, "complete"));
        if (!reuse)
        {
            if (Directory.Exists(dir) && !string.IsNullOrEmpty(kept))
            {
                Directory.Delete(dir, recursive: true);
            }
            Directory.CreateDirectory(exportDir);
            Build(dir, exportDir, incidents, perIncident);
            File.WriteAllText(Path.Combine(dir, "complete"), "");
        }
        else
        {
            Console.WriteLine($"index build: reusing {dir}");
        }
        Measure(dir, exportDir, incidents);
    }

    private static void Build(string dir, string exportDir, int incidents, int perIncident)
    {
        var gen = new IncidentGenerator();
        var build = new Stopwatch();
        long docs = 0;
        using (var index = SearchIndex.Open(Path.Combine(dir, "index")))
        {
            for (var i = 0; i < incidents; i++)
            {
                var incident = gen.Incident(i);
                var evidence = gen.LogEvents(incident.Id, perIncident).Select((e, n) => e with { Number = n + 1 }).ToList();
                build.Start();
                index.Add(incident, evidence);
                build.Stop();
                docs += 1 + incident.Hypotheses.Count + incident.Tasks.Count + incident.Timeline.Count + evidence.Count;
                Export(exportDir, incident, evidence);
            }
            build.Start();
            index.Commit(0);
            build.Stop();
        }
        Console.WriteLine($"index build: {incidents:N0} incidents, {(long)incidents * perIncident:N0} log events, {docs:N0} documents in {build.Elapsed.TotalSeconds:N1} s " +
            $"-> {docs / build.Elapsed.TotalSeconds:N0} docs/s, {incidents / build.Elapsed.TotalSeconds:N0} incidents/s; " +
            $"index {DirectorySize(Path.Combine(dir, "index")) / (1 << 20):N0} MiB, exported text {DirectorySize(exportDir) / (1 << 20):N0} MiB");
    }

    private static void Measure(string dir, string exportDir, int incidents)
    {
        const int rounds = 20;
        var ours = new List<double>();
        var perQuery = Queries.ToDictionary(q => q.Query, _ => new List<double>());
        var totals = new Dictionary<string, int>();
        using (var index = SearchIndex.Open(Path.Combine(dir, "index")))
        {
            // Measured warm, as in a long-lived process: the first rounds run Lucene's hot loops before
            // the JIT has optimized them and are several times slower (a one-shot CLI search pays that).
            var warmup = Stopwatch.StartNew();
            for (var round = 0; round < 3 || warmup.Elapsed < TimeSpan.FromSeconds(3); round++)
            {
                foreach (var (query, _) in Queries)
                {
                    index.Search(new SearchRequest { Query = query });
                }
            }
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (query, _) in Queries)
                {
                    var sw = Stopwatch.StartNew();
                    var results = index.Search(new SearchRequest { Query = query, Limit = 10 });
                    var ms = sw.Elapsed.TotalMilliseconds;
                    ours.Add(ms);
                    perQuery[query].Add(ms);
                    totals[query] = results.TotalHits;
                    if (round == 0 && results.Hits.Count == 0)
                    {
                        Console.WriteLine($"  note: no hits for '{query}'");
                    }
                }
            }

            var similar = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                // Ids depend only on the index number, so a fresh generator names the same incidents.
                var id = new IncidentGenerator().Incident(i * 37 % incidents).Id;
                var sw = Stopwatch.StartNew();
                index.SimilarIncidents(id, 5);
                similar.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"similar: p50 {Percentile(similar, 50):N1} ms, p95 {Percentile(similar, 95):N1} ms over {similar.Count} lookups");
        }

        // grep as the issue names it (every matching line printed), and the cheapest variant that
        // still answers "where is it" (fixed string, first match per file), each three times per query.
        var grep = new List<double>();
        var grepFiles = new List<double>();
        var grepPerQuery = new Dictionary<string, (double Lines, double Files, long Matches)>();
        foreach (var (query, pattern) in Queries)
        {
            var lines = new List<double>();
            var files = new List<double>();
            long matches = 0;
            for (var i = 0; i < 3; i++)
            {
                var sw = Stopwatch.StartNew();
                matches = Grep(exportDir, "-r", "-i", "--", pattern);
                lines.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                Grep(exportDir, "-r", "-i", "-l", "-F", "--", pattern);
                files.Add(sw.Elapsed.TotalMilliseconds);
            }
            grep.AddRange(lines);
            grepFiles.AddRange(files);
            grepPerQuery[query] = (Percentile(lines, 50), Percentile(files, 50), matches);
        }

        Console.WriteLine($"  {"query",-36} {"hits",9} {"p50 ms",8} {"p95 ms",8} {"grep -ri",9} {"lines",9} {"grep -ril -F",13}");
        foreach (var (query, _) in Queries)
        {
            var g = grepPerQuery[query];
            Console.WriteLine($"  {query,-36} {totals[query],9:N0} {Percentile(perQuery[query], 50),8:N2} {Percentile(perQuery[query], 95),8:N2} " +
                $"{g.Lines,9:N0} {g.Matches,9:N0} {g.Files,13:N0}");
        }

        // The index is opened once and its reader reused across queries, as in a long-lived process;
        // the CLI opens it once per command, which adds the reader open to a single search.
        var p50 = Percentile(ours, 50);
        Console.WriteLine($"search: {ours.Count} queries ({Queries.Length} distinct), p50 {p50:N2} ms, p95 {Percentile(ours, 95):N2} ms " +
            $"(target p50 < 25 ms); grep -ri p50 {Percentile(grep, 50):N0} ms, p95 {Percentile(grep, 95):N0} ms; " +
            $"grep -ril -F p50 {Percentile(grepFiles, 50):N0} ms");
        BenchmarkContext.Report("search p50", TimeSpan.FromMilliseconds(p50), TimeSpan.FromMilliseconds(Percentile(grep, 50)), "grep -ri p50");
        Console.WriteLine($"search p50 is {Percentile(grep, 50) / p50:N0}x faster than grep -ri (target >= 50x) " +
            $"and {Percentile(grepFiles, 50) / p50:N0}x faster than grep -ril -F");
    }

    /// <summary>One file per incident: the same text the index holds, as lines.</summary>
    private static void Export(string dir, Incident incident, IReadOnlyList<Evidence> evidence)
    {
        var b = new StringBuilder();
        b.AppendLine(Serialization.IncidentJson.Serialize(incident, indented: false));
        foreach (var e in evidence)
        {
            b.Append(e.Key).Append(' ').Append(e.Source).Append(' ').AppendLine(e.Content);
        }
        File.WriteAllText(Path.Combine(dir, incident.Id + ".txt"), b.ToString());
    }

    /// <summary>Runs grep over the exported text and returns how many lines it printed.</summary>
    private static long Grep(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("grep") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add(dir);
        using var p = Process.Start(start)!;
        long lines = 0;
        while (p.StandardOutput.ReadLine() is not null)
        {
            lines++;
        }
        p.WaitForExit();
        return lines;
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static long DirectorySize(string dir) =>
        new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
