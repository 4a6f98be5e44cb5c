using Hokusai.Incidents.Rendering;
using Hokusai.Incidents.Site;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// The static site of a 2,000-incident store (every page, evidence pages, similar incidents, search
/// index, the search index of the store rebuilt first) against what a team could script today: the
/// six standalone HTML documents per incident that <c>incidents render --doc all --html</c> writes,
/// for the same incidents, in the same run. Then a rebuild with nothing changed and one after one
/// incident changed.
/// </summary>
public sealed class SiteBenchmark : IBenchmark
{
    public string Name => "site";
    public string Description => "incidents site for 2,000 incidents (20 evidence each) vs render --doc all --html per incident; rebuilds";

    public void Run(BenchmarkContext context)
    {
        var count = context.Size(2_000);
        var gen = new IncidentGenerator();
        var dir = context.TempDirectory("site");
        var templates = TemplateSet.Load(TemplateSet.FindShipped(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("shipped templates not found; run from the repository"), null);
        using var store = LiteDbIncidentStore.Open(Path.Combine(dir, "incidents.db"));
        foreach (var i in Enumerable.Range(0, count))
        {
            var incident = gen.Incident(i);
            store.Put(incident);
            store.AddEvidence([.. gen.LogEvents(incident.Id, 20).Select((e, n) => n == 0 ? e with { Supports = ["H1"] } : e)]);
        }
        var options = new SiteOptions { OutputDirectory = Path.Combine(dir, "site"), Templates = templates };
        Console.WriteLine($"  {count:N0} incidents stored; {Environment.ProcessorCount} cores");

        var baseline = BenchmarkContext.Time(() =>
        {
            var renderer = new DocumentRenderer(templates);
            foreach (var incident in store.List())
            {
                var input = new RenderInput { Incident = incident, Evidence = [.. store.ListEvidence(incident.Id)] };
                DocumentFiles.Write(Path.Combine(dir, "render", incident.Id), renderer.RenderAll(TemplateSet.StandardDocuments, input), html: true);
            }
        });

        SiteBuildResult? result = null;
        // CPU time beside wall time: on a machine shared with other work the wall clock says little.
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var ours = BenchmarkContext.Time(() => result = StaticSite.Build(store, options));
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var bytes = Directory.EnumerateFiles(options.OutputDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        BenchmarkContext.Report(
            $"site of {count:N0} incidents ({result!.Written:N0} files, {bytes / (1 << 20):N0} MiB, search index rebuilt first)",
            ours, baseline, "render --doc all --html per incident", count);
        Console.WriteLine($"  first build used {cpu.TotalSeconds:N1} s of CPU time in {ours.TotalSeconds:N1} s ({cpu / ours:N2} cores busy on average)");

        cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var unchanged = BenchmarkContext.Time(() => result = StaticSite.Build(store, options));
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"  rebuild, nothing changed: {unchanged.TotalMilliseconds:N0} ms ({cpu.TotalSeconds:N1} s CPU), " +
            $"{result!.BuiltIncidents.Count} incidents built, {result.Written} files written");

        var first = store.List().First();
        store.Update(first.Id, i => i with { Summary = i.Summary + " Updated." });
        cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var one = BenchmarkContext.Time(() => result = StaticSite.Build(store, options));
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"  rebuild after one incident changed: {one.TotalMilliseconds:N0} ms ({cpu.TotalSeconds:N1} s CPU), " +
            $"{result!.BuiltIncidents.Count} incidents built ({string.Join(", ", result.BuiltIncidents.Take(3))}), {result.Written} files written " +
            $"({string.Join(", ", result.WrittenFiles.Take(6))}{(result.Written > 6 ? ", …" : "")})");
    }
}
