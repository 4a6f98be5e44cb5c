using Hokusai.Incidents.Rendering;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hokusai.Incidents.Site;

/// <summary>A rendered document's HTML for a page that holds several documents, and its headings for the contents.</summary>
public sealed record DocumentSection(string Name, string Anchor, string Title, IReadOnlyList<(string Anchor, string Text)> Headings, string Html);

/// <summary>
/// Turns one rendered Markdown document into HTML with the same dialect as the standalone pages
/// (<see cref="HtmlPage.Pipeline"/>), made fit to share a page: every heading id and in-document link
/// gets the document's prefix, and a link that would leave the page's own files (another host, an image,
/// a javascript: URL) is shown as its text only.
/// </summary>
public static class DocumentHtml
{
    public static DocumentSection Convert(RenderedDocument document)
    {
        var prefix = "doc-" + document.Name + "-";
        var parsed = Markdown.Parse(document.Markdown, HtmlPage.Pipeline);
        var headings = new List<(string, string)>();
        string? title = null;
        foreach (var heading in parsed.Descendants<HeadingBlock>())
        {
            var attributes = heading.GetAttributes();
            if (attributes.Id is { Length: > 0 } id)
            {
                attributes.Id = prefix + id;
            }
            var text = PlainText(heading.Inline);
            if (heading.Level == 1 && title is null)
            {
                title = text;
            }
            else if (heading.Level == 2 && attributes.Id is { } h2)
            {
                headings.Add((h2, text));
            }
        }
        foreach (var link in parsed.Descendants<LinkInline>().ToList())
        {
            if (!link.IsImage && link.Url is { Length: > 1 } url && url[0] == '#')
            {
                link.Url = "#" + prefix + url[1..];
                continue;
            }
            link.ReplaceBy(new LiteralInline(link.IsImage ? "[image: " + PlainText(link) + "]" : PlainText(link)));
        }
        foreach (var autolink in parsed.Descendants<AutolinkInline>().ToList())
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }
        var writer = new StringWriter { NewLine = "\n" };
        var renderer = new HtmlRenderer(writer);
        HtmlPage.Pipeline.Setup(renderer);
        renderer.Render(parsed);
        writer.Flush();
        return new DocumentSection(document.Name, "doc-" + document.Name, title ?? document.Name, headings, writer.ToString());
    }

    private static string PlainText(ContainerInline? inline) =>
        inline is null ? "" : string.Concat(inline.Descendants<Inline>().Select(i => i switch
        {
            LiteralInline l => l.Content.ToString(),
            CodeInline c => c.Content,
            LineBreakInline => " ",
            _ => "",
        }));
}
