using Hokusai.Incidents.Rendering;
using Scriban;
using Scriban.Runtime;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// All six documents of a large incident through our renderer (render model, escaping helpers, strict
/// templates, tidy-up) against Scriban alone walking the same incident and evidence through a trivial
/// template that prints one field per hypothesis, task and evidence line.
/// </summary>
public sealed class RenderBenchmark : IBenchmark
{
    internal const string TrivialTemplate =
        "# {{ incident.title }}\n" +
        "{{ for h in incident.hypotheses }}- {{ h.title }}\n{{ end }}" +
        "{{ for t in incident.tasks }}- {{ t.title }}\n{{ end }}" +
        "{{ for e in evidence }}{{ e.content }}\n{{ end }}";

    public string Name => "render";
    public string Description => "all six documents for 100 hypotheses, 1,000 tasks, 10,000 evidence lines vs Scriban with a trivial template";

    public void Run(BenchmarkContext context)
    {
        var hypotheses = context.Size(100);
        var tasks = context.Size(1_000);
        var lines = context.Size(10_000);
        var (incident, evidence) = LargeIncident(hypotheses, tasks, lines);
        var input = new RenderInput { Incident = incident, Evidence = evidence };

        var shipped = TemplateSet.FindShipped(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("shipped templates not found; run from the repository");
        var renderer = new DocumentRenderer(TemplateSet.Load(shipped, null));
        var trivial = Template.Parse(TrivialTemplate);

        long ourChars = 0, baselineChars = 0;
        void Ours() => ourChars = renderer.RenderAll(TemplateSet.StandardDocuments, input).Sum(d => (long)d.Markdown.Length);
        void Baseline()
        {
            var globals = new ScriptObject { ["incident"] = incident, ["evidence"] = evidence };
            var ctx = new TemplateContext { LoopLimit = 0, LimitToString = 0, OutputLimit = 0, MemberRenamer = StandardMemberRenamer.Default };
            ctx.PushGlobal(globals);
            baselineChars = trivial.Render(ctx).Length;
        }

        // One warm-up each (JIT, template parse cache), then the median of several runs.
        Ours();
        Baseline();
        const int runs = 5;
        var ours = Median(Enumerable.Range(0, runs).Select(_ => BenchmarkContext.Time(Ours)));
        var baseline = Median(Enumerable.Range(0, runs).Select(_ => BenchmarkContext.Time(Baseline)));

        var model = Median(Enumerable.Range(0, runs).Select(_ => BenchmarkContext.Time(() => RenderModel.Build(input))));
        Console.WriteLine($"  of which building the render model: {model.TotalMilliseconds:N1} ms");
        foreach (var doc in TemplateSet.StandardDocuments)
        {
            var one = Median(Enumerable.Range(0, runs).Select(_ => BenchmarkContext.Time(() => renderer.Render(doc, input))));
            Console.WriteLine($"  {doc} alone (model included): {one.TotalMilliseconds:N1} ms");
        }
        BenchmarkContext.Report(
            $"6 documents, {hypotheses} hypotheses, {tasks} tasks, {lines} evidence ({ourChars / 1024:N0} KiB of Markdown; trivial: {baselineChars / 1024:N0} KiB)",
            ours, baseline, "Scriban trivial template", lines);
    }

    /// <summary>One incident with the given numbers of hypotheses and tasks, and that many numbered log lines.</summary>
    internal static (Incident Incident, List<Evidence> Evidence) LargeIncident(int hypotheses, int tasks, int lines)
    {
        var gen = new IncidentGenerator();
        var incident = gen.Incident(0, hypotheses, tasks);
        var evidence = gen.LogEvents(incident.Id, lines)
            .Select((e, i) => e with { Number = i + 1, Supports = i % 50 == 0 ? [$"H{1 + (i / 50 % hypotheses)}"] : [] })
            .ToList();
        incident = incident with
        {
            Timeline = [.. incident.Timeline.Select((t, i) => t with { Evidence = [$"E{1 + i}"] })],
            Hypotheses = [.. incident.Hypotheses.Select((h, i) => i == 0 ? h with { Status = HypothesisStatus.Confirmed } : h)],
        };
        return (incident, evidence);
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
