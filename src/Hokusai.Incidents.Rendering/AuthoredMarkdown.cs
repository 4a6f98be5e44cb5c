using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hokusai.Incidents.Rendering;

/// <summary>
/// Text an author wrote in Markdown (an imported document), as templates see it. The <c>md</c> and
/// <c>cell</c> functions render it through <see cref="MarkdownSanitizer"/> instead of escaping it; every
/// other function sees the text itself.
/// </summary>
public sealed class AuthoredMarkdown(string text, bool singleLine = false)
{
    public string Text { get; } = text;

    /// <summary>For titles the templates follow with more words on the same line: md gives one line too.</summary>
    public bool SingleLine { get; } = singleLine;

    // Anything that prints the value without md or cell still gets escaped text, never raw Markdown.
    public override string ToString() => MarkdownText.Inline(Text);
}

/// <summary>
/// Re-writes an author's Markdown from its parsed structure, so it keeps its bold, links, code, nested lists
/// and tables but cannot change the structure of the document it is placed in: headings become bold
/// lines (they cannot open a section), raw HTML shows as text, links keep only web, mail and relative
/// targets, and every line after the first is indented so the text stays inside its list item.
/// Only what the writer below emits reaches the output; literal text is escaped as <see cref="MarkdownText"/> does.
/// </summary>
public static class MarkdownSanitizer
{
    /// <summary>Spaces before each continuation line: inside "- " and "1. " items, and harmless at the top level.</summary>
    public const int Indent = 3;

    // Deeper structure than this is written as plain text: nothing real nests so far, and it bounds the recursion.
    private const int MaxDepth = 16;

    private static readonly MarkdownPipeline Parser = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .Build();

    /// <summary>
    /// Markdown for where the <c>md</c> function is used: after a list marker, a label or at the start of a
    /// paragraph. A first block that is not a paragraph starts on the next line.
    /// </summary>
    public static string Block(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }
        var document = Markdown.Parse(markdown, Parser);
        var lines = new List<string>();
        WriteBlocks(document, lines, 0);
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        if (lines.Count == 0)
        {
            return "";
        }
        var sb = new StringBuilder(markdown.Length + 32);
        var pad = new string(' ', Indent);
        var blocks = document.Where(b => b is not LinkReferenceDefinitionGroup { Count: 0 }).ToList();
        var startsWithParagraph = blocks.Count > 0 && IsText(blocks[0]);
        for (var i = 0; i < lines.Count; i++)
        {
            if (i == 0 && startsWithParagraph)
            {
                sb.Append(lines[i]);
                continue;
            }
            sb.Append('\n');
            if (lines[i].Length > 0)
            {
                sb.Append(pad).Append(lines[i]);
            }
        }
        if (blocks.Count > 0 && !IsText(blocks[^1]))
        {
            // Words a template puts after the value land on a line of their own, not on a closing fence or table row.
            sb.Append('\n').Append(pad);
        }
        return sb.ToString();
    }

    /// <summary>One line for a table cell or heading: blocks joined with spaces, list items with "; ".</summary>
    public static string Line(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }
        var document = Markdown.Parse(markdown, Parser);
        var parts = new List<string>();
        Flatten(document, parts, 0);
        var line = string.Join(" ", parts.Where(p => p.Length > 0));
        // A heading drops a closing run of #s; an escaped first # keeps them text (as MarkdownText.Cell does).
        var run = line.Length;
        while (run > 0 && line[run - 1] == '#')
        {
            run--;
        }
        return run < line.Length ? line.Insert(run, "\\") : line;
    }

    /// <summary>The words only, for places that take plain text (diagram labels).</summary>
    public static string Plain(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }
        var document = Markdown.Parse(markdown, Parser);
        var sb = new StringBuilder();
        foreach (var leaf in document.Descendants<LeafBlock>())
        {
            if (leaf.Inline is { } inline)
            {
                foreach (var node in inline.Descendants())
                {
                    if (node is LiteralInline literal)
                    {
                        sb.Append(literal.Content.AsSpan());
                    }
                    else if (node is CodeInline code)
                    {
                        sb.Append(code.Content);
                    }
                }
            }
            else if (leaf is CodeBlock code)
            {
                sb.Append(code.Lines.ToString());
            }
            sb.Append(' ');
        }
        return sb.ToString().Trim();
    }

    private static void WriteBlocks(ContainerBlock container, List<string> lines, int depth, bool tight = false)
    {
        var first = true;
        foreach (var block in container)
        {
            if (block is LinkReferenceDefinitionGroup { Count: 0 })
            {
                continue;
            }
            // A tight list item keeps its blocks together, or the list would turn loose.
            if (!first && !tight)
            {
                lines.Add("");
            }
            first = false;
            WriteBlock(block, lines, depth);
        }
    }

    private static void WriteBlock(Block block, List<string> lines, int depth)
    {
        if (depth > MaxDepth)
        {
            lines.AddRange(SplitLines(Escape(PlainOf(block), lineStart: true)));
            return;
        }
        switch (block)
        {
            case ParagraphBlock p:
                lines.AddRange(SplitLines(Inlines(p.Inline, singleLine: false)));
                break;
            case HeadingBlock h:
                // A heading inside imported text must not open a section of the document it lands in.
                var text = Inlines(h.Inline, singleLine: true);
                if (text.Length > 0)
                {
                    lines.Add("**" + text + "**");
                }
                break;
            case ThematicBreakBlock:
                lines.Add("* * *");
                break;
            case LinkReferenceDefinitionGroup definitions:
                // Links already point at their targets; the definitions still show, as the text they are.
                lines.AddRange(DefinitionTexts(definitions).Select(d => Escape(d, lineStart: true)));
                break;
            case HtmlBlock html:
                // Shown as the text it is: it never runs, and nothing the author wrote disappears.
                lines.AddRange(SplitLines(MarkdownText.Inline(html.Lines.ToString())));
                break;
            case CodeBlock code:
                var info = code is FencedCodeBlock fenced ? fenced.Info : null;
                lines.AddRange(SplitLines(MarkdownText.Fence(code.Lines.ToString(), info).TrimEnd('\n')));
                break;
            case ListBlock list:
                WriteList(list, lines, depth);
                break;
            case QuoteBlock quote:
                var inner = new List<string>();
                WriteBlocks(quote, inner, depth + 1);
                lines.AddRange(inner.Select(l => l.Length == 0 ? ">" : "> " + l));
                break;
            case Table table:
                WriteTable(table, lines);
                break;
            case ContainerBlock other:
                WriteBlocks(other, lines, depth + 1);
                break;
            case LeafBlock leaf when leaf.Inline is not null:
                lines.AddRange(SplitLines(Inlines(leaf.Inline, singleLine: false)));
                break;
            case LeafBlock leaf:
                lines.AddRange(SplitLines(Escape(leaf.Lines.ToString(), lineStart: true)));
                break;
        }
    }

    private static void WriteList(ListBlock list, List<string> lines, int depth)
    {
        var number = 1;
        if (list.IsOrdered && int.TryParse(list.OrderedStart, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            number = Math.Clamp(start, 0, 999_999_999);
        }
        var firstItem = true;
        foreach (var child in list)
        {
            if (child is not ListItemBlock item)
            {
                continue;
            }
            if (!firstItem && list.IsLoose)
            {
                lines.Add("");
            }
            firstItem = false;
            var marker = list.IsOrdered ? number.ToString(CultureInfo.InvariantCulture) + ". " : "- ";
            number++;
            var body = new List<string>();
            WriteBlocks(item, body, depth + 1, tight: !list.IsLoose);
            if (body.Count == 0)
            {
                lines.Add(marker.TrimEnd());
                continue;
            }
            var pad = new string(' ', marker.Length);
            // A nested list as the first block starts on the next line, so its marker cannot merge with ours.
            var firstIsText = item.Count > 0 && IsText(item[0]);
            if (firstIsText)
            {
                lines.Add(marker + body[0]);
                lines.AddRange(body.Skip(1).Select(l => l.Length == 0 ? "" : pad + l));
            }
            else
            {
                lines.Add(marker.TrimEnd());
                lines.AddRange(body.Select(l => l.Length == 0 ? "" : pad + l));
            }
        }
    }

    private static void WriteTable(Table table, List<string> lines)
    {
        var columns = Math.Max(1, table.Max(r => r is TableRow row ? row.Count : 0));
        var header = true;
        foreach (var child in table)
        {
            if (child is not TableRow row)
            {
                continue;
            }
            var cells = new List<string>();
            foreach (var c in row)
            {
                var cell = (TableCell)c;
                var parts = new List<string>();
                Flatten(cell, parts, 0);
                cells.Add(string.Join(" ", parts.Where(p => p.Length > 0)));
            }
            while (cells.Count < columns)
            {
                cells.Add("");
            }
            lines.Add("| " + string.Join(" | ", cells) + " |");
            if (header)
            {
                lines.Add("|" + string.Concat(Enumerable.Repeat("---|", columns)));
                header = false;
            }
        }
    }

    // One-line form of any block: for table cells and headings.
    private static void Flatten(ContainerBlock container, List<string> parts, int depth)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case LinkReferenceDefinitionGroup definitions:
                    parts.AddRange(DefinitionTexts(definitions).Select(d => Escape(d, lineStart: false)));
                    break;
                case ListBlock list when depth < MaxDepth:
                    var items = new List<string>();
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var inner = new List<string>();
                        Flatten(item, inner, depth + 1);
                        items.Add(string.Join(" ", inner.Where(p => p.Length > 0)));
                    }
                    parts.Add(string.Join("; ", items.Where(p => p.Length > 0)));
                    break;
                case ContainerBlock other when depth < MaxDepth:
                    Flatten(other, parts, depth + 1);
                    break;
                case LeafBlock { Inline: { } inline }:
                    parts.Add(Inlines(inline, singleLine: true));
                    break;
                default:
                    parts.Add(MarkdownText.Cell(PlainOf(block)));
                    break;
            }
        }
    }

    private static string Inlines(ContainerInline? container, bool singleLine)
    {
        if (container is null)
        {
            return "";
        }
        var sb = new StringBuilder();
        var atLineStart = true;
        WriteInlines(container, sb, singleLine, ref atLineStart, 0);
        return sb.ToString().Trim();
    }

    private static void WriteInlines(ContainerInline container, StringBuilder sb, bool singleLine, ref bool atLineStart, int depth)
    {
        for (var inline = container.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            WriteInline(inline, sb, singleLine, ref atLineStart, depth);
        }
    }

    private static void WriteInline(Inline inline, StringBuilder sb, bool singleLine, ref bool atLineStart, int depth)
    {
        switch (inline)
        {
            case LiteralInline literal:
                Text(sb, literal.Content.ToString(), singleLine, ref atLineStart);
                break;
            case LineBreakInline br:
                if (singleLine)
                {
                    sb.Append(' ');
                }
                else
                {
                    sb.Append(br.IsHard ? "\\\n" : "\n");
                    atLineStart = true;
                }
                break;
            case CodeInline code:
                // A pipe in a code span would still split a table cell; there it is written as escaped text.
                if (singleLine && code.Content.Contains('|', StringComparison.Ordinal))
                {
                    Text(sb, code.Content, singleLine, ref atLineStart);
                }
                else
                {
                    sb.Append(MarkdownText.Code(code.Content));
                    atLineStart = false;
                }
                break;
            case TaskList task:
                sb.Append(task.Checked ? "[x] " : "[ ] ");
                atLineStart = false;
                break;
            case HtmlEntityInline entity:
                Text(sb, entity.Transcoded.ToString(), singleLine, ref atLineStart);
                break;
            case HtmlInline html:
                Text(sb, html.Tag, singleLine, ref atLineStart);
                break;
            case AutolinkInline auto:
                if (SafeUrl(auto.Url, auto.IsEmail) is { } autoUrl)
                {
                    sb.Append('<').Append(autoUrl).Append('>');
                    atLineStart = false;
                }
                else
                {
                    Text(sb, auto.Url, singleLine, ref atLineStart);
                }
                break;
            case LinkInline link when depth < MaxDepth:
                WriteLink(link, sb, singleLine, ref atLineStart, depth);
                break;
            case EmphasisInline emphasis when depth < MaxDepth:
                var marks = emphasis.DelimiterChar == '~'
                    ? "~~"
                    : new string('*', Math.Clamp(emphasis.DelimiterCount, 1, 3));
                var content = new StringBuilder();
                var innerStart = false;
                WriteInlines(emphasis, content, singleLine, ref innerStart, depth + 1);
                var inner = content.ToString();
                if (inner.Trim().Length == 0)
                {
                    sb.Append(inner);
                }
                else
                {
                    sb.Append(marks).Append(inner).Append(marks);
                }
                atLineStart = false;
                break;
            case ContainerInline other when depth < MaxDepth:
                WriteInlines(other, sb, singleLine, ref atLineStart, depth + 1);
                break;
            default:
                Text(sb, PlainOf(inline), singleLine, ref atLineStart);
                break;
        }
    }

    private static void WriteLink(LinkInline link, StringBuilder sb, bool singleLine, ref bool atLineStart, int depth)
    {
        var label = new StringBuilder();
        var innerStart = false;
        WriteInlines(link, label, singleLine: true, ref innerStart, depth + 1);
        var text = label.ToString().Trim();
        var url = SafeUrl(link.GetDynamicUrl?.Invoke() ?? link.Url, isEmail: false);
        if (url is null)
        {
            // An unsafe or missing target: the words stay, the link goes.
            sb.Append(text.Length > 0 ? text : MarkdownText.Cell(link.Url));
        }
        else if (link.IsImage)
        {
            sb.Append("![").Append(text).Append("](").Append(url).Append(')');
        }
        else
        {
            sb.Append('[').Append(text.Length > 0 ? text : MarkdownText.Cell(url)).Append("](").Append(url).Append(')');
        }
        atLineStart = false;
    }

    /// <summary>
    /// The link target if it is web, mail or relative, percent-encoding what could end the link or the line;
    /// null for any other scheme (javascript:, data:, vbscript:, file:…).
    /// </summary>
    internal static string? SafeUrl(string? url, bool isEmail)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        var u = url.Trim();
        if (isEmail)
        {
            u = "mailto:" + u;
        }
        var colon = u.IndexOf(':', StringComparison.Ordinal);
        var cut = u.IndexOfAny(['/', '?', '#']);
        if (colon >= 0 && (cut < 0 || colon < cut))
        {
            var scheme = u[..colon].ToLowerInvariant();
            if (scheme is not ("http" or "https" or "mailto"))
            {
                return null;
            }
        }
        var sb = new StringBuilder(u.Length + 8);
        foreach (var c in u)
        {
            if (c is ' ' or '(' or ')' or '<' or '>' or '\\' or '`' or '"' or '|' or '[' or ']' || char.IsControl(c))
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static void Text(StringBuilder sb, string text, bool singleLine, ref bool atLineStart)
    {
        if (text.Length == 0)
        {
            return;
        }
        sb.Append(Escape(text, atLineStart && !singleLine));
        atLineStart = false;
    }

    private static string Escape(string text, bool lineStart)
    {
        var one = string.Join(' ', text.ReplaceLineEndings("\n").Split('\n'));
        // Inline specials always; at the start of a line the block-opening characters too.
        var escaped = MarkdownText.EscapeInline(one);
        if (!lineStart)
        {
            return escaped;
        }
        var trimmed = escaped.TrimStart();
        if (trimmed.Length == 0)
        {
            return escaped;
        }
        var lead = escaped[..(escaped.Length - trimmed.Length)];
        if (trimmed[0] is '#' or '>' or '-' or '+' or '=' or '*')
        {
            return lead + "\\" + trimmed;
        }
        var digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }
        return digits > 0 && digits < trimmed.Length && trimmed[digits] is '.' or ')'
            ? lead + trimmed[..digits] + "\\" + trimmed[digits..]
            : escaped;
    }

    // Blocks written as plain text lines, which can follow a list marker or be followed by more words.
    private static bool IsText(Block block) => block is ParagraphBlock or LinkReferenceDefinitionGroup;

    private static IEnumerable<string> DefinitionTexts(LinkReferenceDefinitionGroup group) =>
        group.OfType<LinkReferenceDefinition>().Select(d => $"[{d.Label}]: {d.Url}{(string.IsNullOrEmpty(d.Title) ? "" : $" \"{d.Title}\"")}");

    private static string PlainOf(MarkdownObject node) => node switch
    {
        LeafBlock leaf => leaf.Lines.ToString(),
        LiteralInline literal => literal.Content.ToString(),
        _ => string.Concat(node.Descendants<LiteralInline>().Select(l => l.Content.ToString())),
    };

    private static IEnumerable<string> SplitLines(string text) => text.Split('\n');
}
