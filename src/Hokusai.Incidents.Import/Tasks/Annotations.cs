using System.Globalization;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents.Import.Tasks;

/// <summary>
/// Trailing notes on a task line, as a rendered plan (or a careful author) writes them:
/// "(owner: api on-call)", "(due 2025-08-22)", "(after T1, T5)", "(done 2025-08-20T12:45:00Z)".
/// </summary>
public sealed partial record Annotations(string Title, string? Owner, DateOnly? Due, IReadOnlyList<int> After, DateTimeOffset? DoneAt)
{
    public static Annotations Read(string text)
    {
        var title = text;
        string? owner = null;
        DateOnly? due = null;
        DateTimeOffset? doneAt = null;
        var after = new List<int>();
        for (var m = Trailing().Match(title); m.Success && m.Index > 0; m = Trailing().Match(title))
        {
            if (m.Groups["owner"].Success)
            {
                owner = m.Groups["owner"].Value.Trim();
            }
            else if (m.Groups["due"].Success && DateOnly.TryParseExact(m.Groups["due"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                due = d;
            }
            else if (m.Groups["after"].Success)
            {
                after.InsertRange(0, Keys().Matches(m.Groups["after"].Value).Select(k => int.Parse(k.Groups["n"].Value, CultureInfo.InvariantCulture)));
            }
            else if (m.Groups["done"].Success && DateTimeOffset.TryParse(m.Groups["done"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                doneAt = t.ToUniversalTime();
            }
            else
            {
                break;
            }
            title = title[..m.Index].TrimEnd();
        }
        return new Annotations(title, owner, due, after, doneAt);
    }

    [GeneratedRegex(@"\s+\((?:owner:\s*(?<owner>[^()]{1,80})|due\s+(?<due>\d{4}-\d{2}-\d{2})|after\s+(?<after>T\d{1,5}(?:,\s*T\d{1,5})*)(?:,\s*blocked)?|done\s+(?<done>\d{4}-\d{2}-\d{2}T[\d:.]+Z))\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Trailing();

    [GeneratedRegex(@"T(?<n>\d{1,5})", RegexOptions.CultureInvariant)]
    private static partial Regex Keys();
}
