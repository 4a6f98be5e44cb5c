using System.Text;

namespace Hokusai.Incidents.Rendering;

/// <summary>
/// Layout clean-up after a template ran, so templates can be written for readability: runs of blank
/// lines outside code blocks become one, trailing blank lines go, and the document ends with one newline.
/// Code block contents are left exactly as they are.
/// </summary>
internal static class MarkdownTidy
{
    public static string Apply(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var sb = new StringBuilder(markdown.Length);
        string? openFence = null;
        var pendingBlank = false;
        var any = false;
        foreach (var line in lines)
        {
            if (openFence is null && line.Trim().Length == 0)
            {
                pendingBlank = any;
                continue;
            }
            if (pendingBlank)
            {
                sb.Append('\n');
                pendingBlank = false;
            }
            sb.Append(openFence is null ? line.TrimEnd(' ', '\t') : line).Append('\n');
            any = true;
            openFence = NextFenceState(line, openFence);
        }
        return sb.ToString();
    }

    // A fence opens with 3+ backticks or tildes (indented at most 3 spaces) and closes with a line of
    // at least as many of the same character and nothing else.
    private static string? NextFenceState(string line, string? open)
    {
        var trimmed = line.TrimStart(' ');
        if (line.Length - trimmed.Length > 3 || trimmed.Length < 3 || trimmed[0] is not ('`' or '~'))
        {
            return open;
        }
        var c = trimmed[0];
        var run = 0;
        while (run < trimmed.Length && trimmed[run] == c)
        {
            run++;
        }
        if (run < 3)
        {
            return open;
        }
        if (open is null)
        {
            // A backtick fence's info string may not contain backticks.
            return c == '`' && trimmed[run..].Contains('`', StringComparison.Ordinal) ? null : trimmed[..run];
        }
        return c == open[0] && run >= open.Length && trimmed[run..].Trim().Length == 0 ? null : open;
    }
}
