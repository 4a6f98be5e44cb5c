using System.Buffers;
using System.Globalization;
using System.Text;

namespace Hokusai.Incidents.Rendering;

/// <summary>
/// Turns untrusted text (titles, log lines, error messages) into Markdown that shows exactly that text
/// and cannot open a heading, list, table cell, code block, link, emphasis or raw HTML of its own.
/// </summary>
public static class MarkdownText
{
    // Characters with inline meaning anywhere in a line. '|' splits table cells; '<' opens HTML and
    // autolinks; '&' starts entities; '~' is strikethrough in GitHub's dialect. ('>' only matters at
    // the start of a line and '!' only before '[', which is escaped.)
    private const string InlineSpecials = "\\`*_[]<|&~";

    /// <summary>Inline text that may span lines: each line break becomes a hard line break inside the same paragraph.</summary>
    public static string Inline(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        if (IsPlainLine(text) && !OpensBlock(text))
        {
            return text;
        }
        var lines = SplitLines(text).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                // A backslash before the line end is CommonMark's hard line break.
                sb.Append("\\\n");
            }
            AppendLine(sb, lines[i]);
        }
        return sb.ToString();
    }

    /// <summary>Text for a table cell or heading: one line, pipes escaped, line breaks turned into spaces.</summary>
    public static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        if (IsPlainLine(text) && text[^1] != '#')
        {
            return text;
        }
        var joined = string.Join(' ', SplitLines(text).Select(l => l.Trim()).Where(l => l.Length > 0));
        var sb = new StringBuilder(joined.Length + 8);
        // Cells and headings never start a line, so only inline characters need escaping.
        AppendInline(sb, joined);
        // A heading drops a closing run of #s; escaping its first # keeps them as text.
        var run = sb.Length;
        while (run > 0 && sb[run - 1] == '#')
        {
            run--;
        }
        if (run < sb.Length)
        {
            sb.Insert(run, '\\');
        }
        return sb.ToString();
    }

    /// <summary>An inline code span on one line, delimited by more backticks than any run inside it.</summary>
    public static string Code(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var line = string.Join(' ', SplitLines(text).Select(l => l.Trim()).Where(l => l.Length > 0));
        var ticks = new string('`', LongestRun(line, '`') + 1);
        // CommonMark strips one space on each side when both are present, so content that starts or
        // ends with a backtick (or a space) keeps its exact text.
        var pad = line.StartsWith('`') || line.EndsWith('`') || (line.StartsWith(' ') && line.EndsWith(' ')) ? " " : "";
        return ticks + pad + line + pad + ticks;
    }

    /// <summary>
    /// A complete fenced code block (ending in a newline): the fence is longer than any backtick run
    /// in the content, so no line of the content can close it early.
    /// </summary>
    public static string Fence(string? content, string? language = null)
    {
        var body = (content ?? "").ReplaceLineEndings("\n").TrimEnd('\n');
        var fence = new string('`', Math.Max(3, LongestRun(body, '`') + 1));
        var word = (language ?? "").Trim().Split(' ', '\t')[0];
        var info = new string(word.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '_' or '.' or '#').ToArray());
        return body.Length == 0
            ? $"{fence}{info}\n{fence}\n"
            : $"{fence}{info}\n{body}\n{fence}\n";
    }

    /// <summary>A GitHub task-list checkbox.</summary>
    public static string Checkbox(bool done) => done ? "[x]" : "[ ]";

    /// <summary>
    /// A label safe inside a Mermaid diagram line: no line breaks, and none of the characters that
    /// end a label or start a comment or entity (: ; # %% and backticks, which could close the fence).
    /// </summary>
    public static string Mermaid(string? text, int maxLength = 80)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\r' or '\n' or '\t' => ' ',
                ':' or ';' => ',',
                '#' or '`' or '"' or '<' or '>' or '{' or '}' or '[' or ']' => ' ',
                _ when char.IsControl(c) => ' ',
                _ => c,
            });
        }
        // "%%" starts a Mermaid comment.
        var squashed = string.Join(' ', sb.ToString().Replace("%%", "%", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (squashed.Length > maxLength)
        {
            squashed = squashed[..(maxLength - 1)].TrimEnd() + "…";
        }
        // Mermaid gantt refuses an empty task name.
        return squashed.Length == 0 ? "-" : squashed;
    }

    /// <summary>The anchor GitHub and Markdig give a heading that is just a key like E12.</summary>
    public static string Anchor(string? key) =>
        new((key ?? "").ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());

    /// <summary>A duration in words, to the minute above an hour and to the second below: "2 hours 5 minutes".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Duration(span.Negate());
        }
        var parts = new List<string>();
        void Add(long n, string unit)
        {
            if (n > 0)
            {
                parts.Add(n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s"));
            }
        }
        if (span >= TimeSpan.FromDays(1))
        {
            Add((long)span.TotalDays, "day");
            Add(span.Hours, "hour");
            Add(span.Minutes, "minute");
        }
        else if (span >= TimeSpan.FromHours(1))
        {
            Add(span.Hours, "hour");
            Add(span.Minutes, "minute");
        }
        else
        {
            Add(span.Minutes, "minute");
            Add(span.Seconds, "second");
        }
        return parts.Count == 0 ? "0 seconds" : string.Join(' ', parts);
    }

    /// <summary>Text with every inline special escaped and its spaces kept, for a piece of a longer line.</summary>
    internal static string EscapeInline(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        AppendInline(sb, text);
        return sb.ToString();
    }

    private static void AppendLine(StringBuilder sb, string line)
    {
        var start = sb.Length;
        AppendInline(sb, line);
        EscapeLineStart(sb, start);
    }

    private static void AppendInline(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            if (InlineSpecials.Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
    }

    // At the start of a line some characters open a block: # heading, > quote, - + list items,
    // = and - setext underlines, "1." and "1)" ordered items. Escaping the first one keeps it text.
    private static void EscapeLineStart(StringBuilder sb, int start)
    {
        if (start >= sb.Length)
        {
            return;
        }
        var first = sb[start];
        if (first is '#' or '>' or '-' or '+' or '=' or '*')
        {
            sb.Insert(start, '\\');
            return;
        }
        var i = start;
        while (i < sb.Length && char.IsAsciiDigit(sb[i]))
        {
            i++;
        }
        if (i > start && i < sb.Length && sb[i] is '.' or ')')
        {
            sb.Insert(i, '\\');
        }
    }

    private static int LongestRun(string text, char c)
    {
        int best = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            best = Math.Max(best, run);
        }
        return best;
    }

    // Most titles and log lines need no escaping at all: one line, nothing to trim, no inline specials.
    // Those are returned as they are instead of being split, trimmed and copied character by character.
    private static readonly SearchValues<char> SpecialsAndLineBreaks = SearchValues.Create(InlineSpecials + "\r\n\f\u0085\u2028\u2029");

    private static bool IsPlainLine(string text) =>
        !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1]) && !text.AsSpan().ContainsAny(SpecialsAndLineBreaks);

    /// <summary>Whether the line may start a block (see <see cref="EscapeLineStart"/>): a digit is left to the full check.</summary>
    private static bool OpensBlock(string line) => line[0] is '#' or '>' or '-' or '+' or '=' or '*' || char.IsAsciiDigit(line[0]);

    private static string[] SplitLines(string text) => text.ReplaceLineEndings("\n").Split('\n');
}
