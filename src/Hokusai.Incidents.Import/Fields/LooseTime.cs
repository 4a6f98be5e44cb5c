using System.Globalization;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents.Import.Fields;

/// <summary>Dates as people write them in reports: "August 19, 2025 (13:57 UTC)", "2025-08-19 13:57 UTC", ISO-8601.</summary>
public static partial class LooseTime
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var t = Syntax.InlineText.Plain(text);
        var clock = ClockInParentheses().Match(t);
        if (clock.Success)
        {
            t = t.Remove(clock.Index, clock.Length) + " " + clock.Groups["c"].Value;
        }
        t = Ordinal().Replace(t, "$1");
        t = Utc().Replace(t, " +00:00").Trim();
        // A time without a year would be put on today's date by the parser: never the import day.
        if (t.Length is 0 or > 60 || !t.Any(char.IsDigit) || !Year().IsMatch(t))
        {
            return false;
        }
        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value)
            && (value = value.ToUniversalTime()) != default;
    }

    [GeneratedRegex(@"\b\d{4}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"\(\s*(?<c>\d{1,2}:\d{2}(?::\d{2})?\s*(?:UTC|Z)?)\s*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClockInParentheses();

    [GeneratedRegex(@"\b(\d{1,2})(?:st|nd|rd|th)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"\s*\b(?:UTC|GMT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Utc();
}
