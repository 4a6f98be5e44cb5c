using System.CommandLine;
using System.Globalization;
using Hokusai.Incidents.Rendering;
using Hokusai.Incidents.Site;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>site [--out DIR] [--title TEXT]</c>: a static site of every incident, to open from disk or any static host.</summary>
internal static class SiteCommands
{
    public static IEnumerable<Command> Create(CliApp app) => [Site(app)];

    private static Command Site(CliApp app)
    {
        var output = Options.Text("--out", "Directory to write the site into (default: site/); rebuilt in place, only changed files rewritten");
        var title = Options.Text("--title", $"Title shown on every page (default: \"{SiteOptions.DefaultTitle}\")");
        var command = new Command("site", "Write a static HTML site of every incident: table, documents, evidence and search, no server needed")
        {
            output, title,
        };
        app.SetAction(command, (inv, ct) =>
        {
            var templates = TemplateSet.Load(
                TemplateSet.FindShipped(AppContext.BaseDirectory, inv.Env.WorkingDirectory),
                inv.Env.Variable(TemplateSet.EnvironmentVariable) is { } overrides ? inv.FullPath(overrides) : null);
            var options = new SiteOptions
            {
                OutputDirectory = inv.FullPath(inv.Get(output) ?? "site"),
                Title = inv.Get(title) ?? SiteOptions.DefaultTitle,
                Templates = templates,
            };
            var result = TerminalProgress.Run(inv, "Building site", bar => StaticSite.Build(inv.Store, options, inv.Notice,
                bar is null ? null : new InlineProgress<SiteProgress>(p => bar.Report((p.Done, p.Total,
                    string.Create(CultureInfo.InvariantCulture, $"{p.Done:N0}/{p.Total:N0} incidents")))), ct));
            var relative = Path.GetRelativePath(inv.Env.WorkingDirectory, result.Directory);
            var shown = relative.StartsWith("..", StringComparison.Ordinal) ? result.Directory : relative;
            inv.Out.Line(string.Create(CultureInfo.InvariantCulture,
                $"Site of {result.Incidents} incident(s) in {shown}: {result.Written} file(s) written, {result.Unchanged} unchanged, {result.Removed} removed."));
            inv.Out.Line($"Open {Path.Combine(shown, SitePaths.Home)} in a browser, or serve the folder from any static host.");
            return Task.FromResult(0);
        });
        return command;
    }
}
