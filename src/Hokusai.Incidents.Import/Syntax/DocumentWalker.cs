using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Syntax;

/// <summary>
/// Flattens Markdig's tree into <see cref="DocumentUnit"/>s: top-level blocks under their heading
/// path, paragraphs of key/value lines (bold, or a plain header key such as "Date:" among bold ones)
/// split into one unit per line, and a trailing
/// <c>**Label**:</c> attached to the blocks that follow it.
/// </summary>
public static partial class DocumentWalker
{
    public static (string? Title, IReadOnlyList<DocumentUnit> Units) Walk(MarkdownDocument document, string text)
    {
        var units = new List<DocumentUnit>();
        var path = HeadingPath.Root;
        string? title = null;
        string? label = null;
        var seenContent = false;
        var afterRule = false;
        foreach (var block in document)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    var headingText = InlineText.Of(heading);
                    if (heading.Level == 1 && title is null && !seenContent && path.Headings.Count == 0)
                    {
                        title = headingText;
                        continue;
                    }
                    path = path.Push(new Heading(heading.Level, headingText));
                    label = null;
                    afterRule = false;
                    units.Add(new HeadingUnit(path, heading) { Source = Slice(text, heading) });
                    break;
                case ParagraphBlock paragraph when title is null && !seenContent && IsBadgeLine(paragraph):
                    // Badges and logos above the title are decoration; the heading below is still the title.
                    units.Add(new BlockUnit(path, paragraph, null) { Source = Slice(text, paragraph) });
                    break;
                case QuoteBlock or HtmlBlock when title is null && !seenContent && path.Headings.Count == 0:
                    // So is a leading quote or comment.
                    units.Add(new BlockUnit(path, block, null) { Source = Slice(text, block) });
                    break;
                case ParagraphBlock paragraph:
                    seenContent = true;
                    var fields = FieldLines(paragraph);
                    if (fields is null)
                    {
                        label = null;
                        units.Add(new BlockUnit(path, paragraph, null) { Source = Slice(text, paragraph), AfterRule = afterRule });
                        break;
                    }
                    label = null;
                    for (var i = 0; i < fields.Count; i++)
                    {
                        var (key, value, line) = fields[i];
                        if (value.Length == 0 && i == fields.Count - 1)
                        {
                            label = key;
                            continue;
                        }
                        units.Add(new FieldLine(path, paragraph, key, value) { Source = line });
                    }
                    break;
                case ThematicBreakBlock:
                    // A separator carries no content, but what follows it is no longer the section's body.
                    afterRule = true;
                    break;
                case LinkReferenceDefinitionGroup group when group.Count == 0:
                    break;
                case LinkReferenceDefinitionGroup group:
                    // Kept as definitions, so links in imported text that use them still resolve.
                    var definitions = string.Join('\n', group.OfType<LinkReferenceDefinition>().Select(d =>
                        $"[{d.Label}]: {d.Url}{(string.IsNullOrEmpty(d.Title) ? "" : $" \"{d.Title}\"")}"));
                    units.Add(new BlockUnit(path, group, null) { Source = definitions, AfterRule = afterRule });
                    break;
                default:
                    seenContent = true;
                    units.Add(new BlockUnit(path, block, label) { Source = Slice(text, block), AfterRule = afterRule });
                    break;
            }
        }
        return (title, units);
    }

    private static bool IsBadgeLine(ParagraphBlock paragraph)
    {
        var any = false;
        for (var inline = paragraph.Inline?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case Markdig.Syntax.Inlines.LinkInline { IsImage: true }:
                case Markdig.Syntax.Inlines.LinkInline link when link.FirstChild is Markdig.Syntax.Inlines.LinkInline { IsImage: true }:
                    any = true;
                    break;
                case Markdig.Syntax.Inlines.LiteralInline literal when literal.Content.IsEmptyOrWhitespace():
                case Markdig.Syntax.Inlines.LineBreakInline:
                    break;
                default:
                    return false;
            }
        }
        return any;
    }

    /// <summary>The key/value lines of a paragraph made only of them, else null.</summary>
    private static List<(string Key, string Value, string Line)>? FieldLines(ParagraphBlock paragraph)
    {
        var lines = InlineText.Of(paragraph).Split('\n');
        var result = new List<(string, string, string)>();
        var plain = 0;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var m = KeyValue().Match(line);
            if (!m.Success)
            {
                // Headers mix both styles ("Date: 2019-01-04" above "**Severity**: Major"); a plain
                // line joins the fields only under a key a header uses, so prose with a colon stays prose.
                m = PlainKeyValue().Match(line);
                if (!m.Success || !PlainHeaderKeys.Contains(m.Groups["key"].Value.Trim().ToLowerInvariant()))
                {
                    return null;
                }
                plain++;
            }
            result.Add((m.Groups["key"].Value.Trim(), m.Groups["value"].Value.Trim(), line));
        }
        // A paragraph of plain lines alone is left whole: the timeline reads "Date:"/"Window:" blocks itself.
        return plain == result.Count ? null : result;
    }

    /// <summary>Keys that a document's header gives without bold: when it happened, how bad, and how it stands.</summary>
    private static readonly HashSet<string> PlainHeaderKeys = new(StringComparer.Ordinal)
    {
        "date", "incident date", "date of incident", "window", "time window", "impact window", "incident window", "outage window",
        "duration", "total duration", "outage duration", "impact duration", "time zone", "timezone", "started", "start time",
        "detected", "detected at", "mitigated", "mitigated at", "resolved", "resolved at", "ended", "end time", "impact start",
        "impact end", "severity", "sev", "incident severity", "status", "incident status",
    };

    /// <summary>Splits one <c>**Key**: value</c> line; false for any other text.</summary>
    public static bool TryField(string line, out string key, out string value)
    {
        var m = KeyValue().Match(line.Trim());
        key = m.Success ? m.Groups["key"].Value.Trim() : "";
        value = m.Success ? m.Groups["value"].Value.Trim() : "";
        return m.Success;
    }

    public static string Slice(string text, Block block)
    {
        var start = Math.Clamp(block.Span.Start, 0, text.Length);
        var end = Math.Clamp(block.Span.End + 1, start, text.Length);
        return text[start..end].ReplaceLineEndings("\n").Trim('\n');
    }

    // Key: value, the key a few plain words.
    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z ]{0,30}?)\s*:\s+(?<value>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainKeyValue();

    // **Key**: value, **Key:** value or __Key__: value.
    [GeneratedRegex(@"^(?:\*\*|__)(?<key>[^*_:\n]{1,80}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*(?:\([^)\n]{0,80}\)\s*)?:)\s*(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();
}
