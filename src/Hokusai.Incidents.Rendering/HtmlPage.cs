using System.Net;
using Markdig;
using Markdig.Syntax;

namespace Hokusai.Incidents.Rendering;

/// <summary>
/// A rendered document as one self-contained HTML page (styles inline, no scripts, no external
/// resources) that opens offline in any browser.
/// </summary>
public static class HtmlPage
{
    /// <summary>The Markdown dialect of the documents: CommonMark with GitHub tables, task lists and heading ids.</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        // Raw HTML in a document can only come from a template; never let it run in the page.
        .DisableHtml()
        .Build();

    public static string FromMarkdown(string markdown, string fallbackTitle)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var title = document.Descendants<HeadingBlock>().FirstOrDefault() is { Inline: { } inline }
            ? string.Concat(inline.Descendants<Markdig.Syntax.Inlines.LiteralInline>().Select(l => l.Content.ToString()))
            : fallbackTitle;
        var body = document.ToHtml(Pipeline);
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
            body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
            h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
            table { border-collapse: collapse; margin: 1em 0; display: block; overflow-x: auto; }
            th, td { border: 1px solid #d1d9e0; padding: .35em .7em; text-align: left; vertical-align: top; }
            th { background: #f6f8fa; }
            code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: .1em .3em; border-radius: 4px; }
            pre { background: #f6f8fa; padding: 1em; overflow-x: auto; border-radius: 6px; }
            pre code { background: none; padding: 0; white-space: pre; }
            ul.contains-task-list { list-style: none; padding-left: 1.2em; }
            li.task-list-item input { margin-right: .5em; }
            blockquote { color: #59636e; border-left: .25em solid #d1d9e0; margin: 0; padding: 0 1em; }
            </style>
            </head>
            <body>
            <main>
            {{body.TrimEnd('\n')}}
            </main>
            </body>
            </html>

            """;
    }
}
