using System.Globalization;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents.Import.Evidence;

/// <summary>
/// One probe result written as a line: "`/health` - Timeout (5s)", "Root path `/` - 404 Not Found"
/// or "https://host/path → 504 (…)". Relative paths take their host from the heading above.
/// </summary>
public sealed partial record EndpointLine(string Url, int? StatusCode, bool TimedOut, int? TimeoutSeconds, string Result)
{
    public static EndpointLine? TryParse(string line, string? host)
    {
        var text = line.Trim();
        string url;
        string result;
        var m = AbsoluteUrl().Match(text);
        if (m.Success)
        {
            url = m.Groups["url"].Value.TrimEnd('`');
            result = m.Groups["result"].Value.Trim();
        }
        else if ((m = RelativePath().Match(text)).Success)
        {
            var path = m.Groups["path"].Value;
            url = host is null ? path : $"https://{host}{path}";
            result = m.Groups["result"].Value.Trim();
        }
        else
        {
            return null;
        }
        var code = StatusCodeIn().Match(result);
        var timedOut = TimeoutWord().IsMatch(result);
        if (!code.Success && !timedOut)
        {
            return null;
        }
        var seconds = Seconds().Match(result);
        return new EndpointLine(
            url,
            code.Success ? int.Parse(code.Value, CultureInfo.InvariantCulture) : null,
            timedOut && !code.Success,
            seconds.Success ? int.Parse(seconds.Groups["s"].Value, CultureInfo.InvariantCulture) : null,
            result);
    }

    /// <summary>The evidence attributes other features (rendering, search) read.</summary>
    public IReadOnlyDictionary<string, string> Attributes()
    {
        var a = new Dictionary<string, string>(StringComparer.Ordinal) { [EvidenceAttributes.Url] = Url };
        if (StatusCode is { } code)
        {
            a[EvidenceAttributes.StatusCode] = code.ToString(CultureInfo.InvariantCulture);
            a[EvidenceAttributes.Outcome] = code < 400 ? EndpointOutcomes.Ok : EndpointOutcomes.UnexpectedStatus;
        }
        else if (TimedOut)
        {
            a[EvidenceAttributes.Outcome] = EndpointOutcomes.Timeout;
        }
        if (StatusCode is >= 400 && Result.Any(char.IsLetter))
        {
            // The author's words for the failure ("504 Gateway Timeout") show beside the outcome.
            a[EvidenceAttributes.Error] = Result;
        }
        if (TimeoutSeconds is { } s)
        {
            a[EvidenceAttributes.TimeoutSeconds] = s.ToString(CultureInfo.InvariantCulture);
        }
        return a;
    }

    [GeneratedRegex(@"`?(?<url>https?://[^\s`)]+)`?(?:\s*(?:→|->|=>)\s*|\s+[-–—:]\s+)(?<result>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex(@"^(?:[A-Za-z ]{0,30}?\s)?`?(?<path>/[^\s`]*)`?(?:\s*(?:→|->|=>)\s*|\s+[-–—:]\s+)(?<result>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RelativePath();

    [GeneratedRegex(@"\b[1-5]\d{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex StatusCodeIn();

    [GeneratedRegex(@"time[sd]?\s*-?\s*out|timed out", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TimeoutWord();

    [GeneratedRegex(@"\(?\b(?<s>\d{1,4})\s*(?:s|sec|secs|seconds)\b\)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Seconds();
}
