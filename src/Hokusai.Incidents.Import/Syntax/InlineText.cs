using System.Text;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hokusai.Incidents.Import.Syntax;

/// <summary>
/// Turns an inline tree back into Markdown-like text: code spans keep their backticks and emphasis
/// its markers, so an imported title reads (and renders again) as the author wrote it.
/// </summary>
public static class InlineText
{
    public static string Of(LeafBlock? block) => block?.Inline is { } inline ? Of(inline).Trim() : "";

    public static string Of(Inline inline)
    {
        var sb = new StringBuilder();
        Append(sb, inline);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Inline inline)
    {
        switch (inline)
        {
            case TaskList:
                // The check box is structure, read by the task recogniser.
                break;
            case CodeInline code:
                var ticks = new string(code.Delimiter, Math.Max(1, code.DelimiterCount));
                sb.Append(ticks).Append(code.Content).Append(ticks);
                break;
            case LineBreakInline:
                sb.Append('\n');
                break;
            case HtmlEntityInline entity:
                sb.Append(entity.Original.ToString());
                break;
            case HtmlInline html:
                sb.Append(html.Tag);
                break;
            case AutolinkInline auto:
                sb.Append('<').Append(auto.Url).Append('>');
                break;
            case LinkInline link:
                sb.Append(link.IsImage ? "![" : "[");
                AppendChildren(sb, link);
                sb.Append("](").Append(link.Url).Append(')');
                break;
            case EmphasisInline emphasis:
                var marks = new string(emphasis.DelimiterChar, emphasis.DelimiterCount);
                sb.Append(marks);
                AppendChildren(sb, emphasis);
                sb.Append(marks);
                break;
            case DelimiterInline delimiter:
                sb.Append(delimiter.ToLiteral());
                AppendChildren(sb, delimiter);
                break;
            case ContainerInline container:
                AppendChildren(sb, container);
                break;
            case LiteralInline literal:
                sb.Append(literal.Content.AsSpan());
                break;
            default:
                sb.Append(inline.ToString());
                break;
        }
    }

    private static void AppendChildren(StringBuilder sb, ContainerInline container)
    {
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            Append(sb, child);
        }
    }

    /// <summary>Drops a bold or italic wrapper around the whole text ("**Root cause.**" → "Root cause.").</summary>
    public static string Unwrap(string text)
    {
        var t = text.Trim();
        foreach (var marks in new[] { "**", "__", "*", "_" })
        {
            if (t.Length > 2 * marks.Length && t.StartsWith(marks, StringComparison.Ordinal) && t.EndsWith(marks, StringComparison.Ordinal)
                && !t[marks.Length..^marks.Length].Contains(marks, StringComparison.Ordinal))
            {
                return t[marks.Length..^marks.Length].Trim();
            }
        }
        return t;
    }

    /// <summary>Plain words for matching: no emphasis, code or emoji markers.</summary>
    public static string Plain(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '_' or '`' || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.OtherSymbol)
            {
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString().Trim();
    }
}
