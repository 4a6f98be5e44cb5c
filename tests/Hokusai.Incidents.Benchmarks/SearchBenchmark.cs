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
        var dir = context.TempDirectory("search");
        var exportDir = Path.Combine(dir, "export");
        Directory.CreateDirectory(exportDir);
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

        var ours = new List<double>();
        var grep = new List<double>();
        using (var index = SearchIndex.Open(Path.Combine(dir, "index")))
        {
            var rounds = 20;
            foreach (var (query, _) in Queries)
            {
                index.Search(new SearchRequest { Query = query });
            }
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (query, _) in Queries)
                {
                    var sw = Stopwatch.StartNew();
                    var results = index.Search(new SearchRequest { Query = query, Limit = 10 });
                    ours.Add(sw.Elapsed.TotalMilliseconds);
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

        foreach (var (_, pattern) in Queries)
        {
            var sw = Stopwatch.StartNew();
            Grep(pattern, exportDir);
            grep.Add(sw.Elapsed.TotalMilliseconds);
        }

        // The index is opened once and its reader reused across queries, as in a long-lived process;
        // the CLI opens it once per command, which adds the reader open to a single search.
        Console.WriteLine($"search: {ours.Count} queries ({Queries.Length} distinct), p50 {Percentile(ours, 50):N2} ms, p95 {Percentile(ours, 95):N2} ms " +
            $"(target p50 < 25 ms); grep -ri p50 {Percentile(grep, 50):N0} ms, p95 {Percentile(grep, 95):N0} ms");
        BenchmarkContext.Report("search p50", TimeSpan.FromMilliseconds(Percentile(ours, 50)), TimeSpan.FromMilliseconds(Percentile(grep, 50)), "grep -ri p50");
        Console.WriteLine($"search p50 is {Percentile(grep, 50) / Percentile(ours, 50):N0}x faster than grep -ri (target >= 50x)");
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

    private static void Grep(string pattern, string dir)
    {
        var start = new ProcessStartInfo("grep") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-r", "-i", "-l", "-F", "--", pattern, dir })
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static long DirectorySize(string dir) =>
        new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
