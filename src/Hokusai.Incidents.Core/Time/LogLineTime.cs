using System.Globalization;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents;

/// <summary>
/// The time a pasted log excerpt carries itself: the first line that starts with an ISO-8601 timestamp
/// (<c>2025-08-20T13:44:17.848000+00:00 INFO: …</c>, <c>[2025-08-20 13:44:17Z] …</c>). Lines without a zone are UTC.
/// </summary>
public static partial class LogLineTime
{
    public static DateTimeOffset? FirstIn(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var m = Leading().Match(line.ToString());
            if (!m.Success)
            {
                continue;
            }
            // .NET reads at most seven fraction digits; AWS CLI output has six, some loggers nine.
            var stamp = FractionTooLong().Replace(m.Groups["t"].Value, f => f.Value[..8]);
            if (DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return at.ToUniversalTime();
            }
        }
        return null;
    }

    [GeneratedRegex(@"^\s*\[?(?<t>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex Leading();

    [GeneratedRegex(@"\.\d{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex FractionTooLong();
}
