using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>
/// The shape of a Markdown document as Markdig parses it: block kinds, heading levels, table sizes,
/// list lengths, code fences and non-text inlines, without the text itself. Two documents with the same
/// shape differ only in their words.
/// </summary>
internal static class MarkdownStructure
{
    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, HtmlPage.Pipeline);

    public static List<string> Of(string markdown)
    {
        var shape = new List<string>();
        foreach (var node in Parse(markdown).Descendants())
        {
            switch (node)
            {
                case HeadingBlock h:
                    shape.Add($"h{h.Level}");
                    break;
                case Table t:
                    shape.Add($"table {t.Count}x{t.ColumnDefinitions.Count}");
                    break;
                case TableRow r:
                    shape.Add($"row {r.Count}");
                    break;
                case ListBlock l:
                    shape.Add($"list {(l.IsOrdered ? "ordered" : "bullet")} {l.Count}");
                    break;
                case FencedCodeBlock f:
                    shape.Add($"fence {f.Info}");
                    break;
                case CodeBlock:
                    shape.Add("indented-code");
                    break;
                case HtmlBlock:
                    shape.Add("html-block");
                    break;
                case QuoteBlock:
                    shape.Add("quote");
                    break;
                case ThematicBreakBlock:
                    shape.Add("hr");
                    break;
                case ParagraphBlock:
                    shape.Add("p");
                    break;
                case TaskList task:
                    shape.Add($"task {task.Checked}");
                    break;
                case LinkInline link:
                    shape.Add($"link {link.Url}");
                    break;
                case CodeInline:
                    shape.Add("code");
                    break;
                case EmphasisInline e:
                    shape.Add($"em {e.DelimiterChar}{e.DelimiterCount}");
                    break;
                case HtmlInline or HtmlEntityInline or AutolinkInline:
                    shape.Add(node.GetType().Name);
                    break;
            }
        }
        return shape;
    }

    /// <summary>The literal text a document shows, as the reader sees it.</summary>
    public static string VisibleText(string markdown) =>
        string.Concat(Parse(markdown).Descendants<LiteralInline>().Select(l => l.Content.ToString()));
}
