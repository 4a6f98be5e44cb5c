using System.CommandLine;
using Hokusai.Incidents.Rendering;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>render ID --doc NAME|all</c>: Markdown (and HTML) documents from the shipped or the user's templates.</summary>
internal static class RenderCommands
{
    /// <summary>How many similar past incidents the investigation lists when search is available.</summary>
    private const int SimilarCount = 5;

    public static IEnumerable<Command> Create(CliApp app) => [Render(app)];

    private static Command Render(CliApp app)
    {
        var id = Options.IncidentId();
        var doc = new Option<string>("--doc")
        {
            Description = "Document to render: investigation, hypotheses, root-cause, fix-tasks, status, postmortem, any NAME " +
                "with a NAME.sbn-md template, or all",
            DefaultValueFactory = _ => "all",
        };
        var output = Options.Text("--out", "Directory to write NAME.md files into (default for --doc all and --html: incidents/ID/)");
        var templates = Options.Text("--templates",
            $"Directory of NAME.sbn-md templates overriding or adding to the shipped ones (default: ${TemplateSet.EnvironmentVariable})");
        var html = new Option<bool>("--html") { Description = "Also write a standalone NAME.html page beside each NAME.md" };
        var command = new Command("render", "Render an incident's documents from templates: one to standard output, or all to files")
        {
            id, doc, output, templates, html,
        };
        app.SetAction(command, (inv, ct) =>
        {
            var incidentId = inv.Get(id)!;
            var which = inv.Get(doc) ?? "all";
            var overrides = inv.Get(templates) ?? inv.Env.Variable(TemplateSet.EnvironmentVariable);
            var set = TemplateSet.Load(
                TemplateSet.FindShipped(AppContext.BaseDirectory, inv.Env.WorkingDirectory),
                overrides is null ? null : inv.FullPath(overrides));
            var names = which == "all" ? set.Names : [set.Get(which).Name];

            // A render of a large incident in a fresh process keeps both cores busy: the templates are read
            // and parsed while the incident is read; similar incidents are looked up (on a thread of their
            // own, so the evidence read keeps the thread pool) while the evidence is read; and the evidence
            // suggestions are worked out while the model is built (RenderModel.Build).
            var renderer = new DocumentRenderer(set);
            var prepared = renderer.Prepare(names);
            var incident = inv.Store.Get(incidentId);
            var similar = Task.Factory.StartNew(() => FindSimilar(inv, incidentId), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var evidence = inv.Store.ReadEvidence(incidentId);
            var input = new RenderInput
            {
                Incident = incident,
                Evidence = evidence,
                Similar = similar.GetAwaiter().GetResult(),
            };
            // Everything is rendered in memory first: a template error writes nothing at all.
            var documents = renderer.RenderAll(prepared, input, ct);

            var outDir = inv.Get(output);
            if (which != "all" && outDir is null && !inv.Get(html))
            {
                inv.Env.Out.Write(documents[0].Markdown);
                return Task.FromResult(0);
            }
            var directory = inv.FullPath(outDir ?? Path.Combine("incidents", incidentId));
            foreach (var path in DocumentFiles.Write(directory, documents, inv.Get(html)))
            {
                inv.Out.Line($"Wrote {Path.GetRelativePath(inv.Env.WorkingDirectory, path)}");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static IReadOnlyList<SimilarIssue> FindSimilar(CliInvocation inv, string incidentId) =>
        inv.App.FindSimilar is { } find
            ? [.. find(inv, incidentId, SimilarCount).Select(s => new SimilarIssue(s.Id, s.Title, s.SharedTerms)
            {
                SeenBefore = inv.Store.Find(s.Id) is { } past ? Analysis.SeenBefore.Of(past) : null,
            })]
            : [];
}
