using System.Globalization;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents;

/// <summary>
/// Times as people type them: ISO-8601 (<c>2025-08-19T13:57Z</c>, <c>2025-08-19 13:57</c>, a date alone)
/// or a duration back from now (<c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>3d</c>). Times without an offset are UTC.
/// </summary>
public static partial class TimeInput
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        if (TryParse(text, now, out var value))
        {
            return value;
        }
        throw new InvalidInputException(
            $"invalid time '{text}': expected ISO-8601 (2025-08-19T13:57:00Z) or a duration ago (30m, 2h, 1h30m, 3d)");
    }

    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset value)
    {
        var t = text.Trim();
        if (t.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            value = now.ToUniversalTime();
            return true;
        }
        if (TryParseDuration(t, out var ago))
        {
            value = now.ToUniversalTime() - ago;
            return true;
        }
        if (DateTimeOffset.TryParseExact(t, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed.ToUniversalTime();
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Parses <c>5s</c>, <c>30m</c>, <c>2h</c>, <c>3d</c>, <c>1w</c>, <c>1h30m</c>, <c>250ms</c>.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        if (TryParseDuration(text.Trim(), out var span))
        {
            return span;
        }
        throw new InvalidInputException($"invalid duration '{text}': expected a number with a unit, e.g. 5s, 30m, 2h, 1h30m, 3d");
    }

    public static bool TryParseDuration(string text, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        var matches = DurationPart().Matches(text);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Length)
        {
            return false;
        }
        foreach (Match m in matches)
        {
            if (!long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000)
            {
                return false;
            }
            span += m.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
        }
        return span > TimeSpan.Zero;
    }

    /// <summary>ISO-8601 in UTC with a Z, to the second unless there is a fraction: the one way times are written.</summary>
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.ToString(utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
            CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(\d+)(ms|[smhdw])", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPart();
}

/// <summary>A closed time range [Start, End] in UTC.</summary>
public sealed record TimeWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>
    /// Builds the window from <c>--since</c> or <c>--start/--end</c>; exactly one form, start before end,
    /// start not in the future.
    /// </summary>
    public static TimeWindow From(string? since, string? start, string? end, DateTimeOffset now)
    {
        if (since is not null && (start is not null || end is not null))
        {
            throw new InvalidInputException("invalid time window: give --since or --start/--end, not both");
        }
        var from = since is not null ? TimeInput.Parse(since, now)
            : start is not null ? TimeInput.Parse(start, now)
            : now.ToUniversalTime().AddHours(-1);
        var to = end is not null ? TimeInput.Parse(end, now) : now.ToUniversalTime();
        if (from >= to)
        {
            throw new InvalidInputException(
                $"invalid time window: start {TimeInput.Format(from)} is not before end {TimeInput.Format(to)}");
        }
        if (from > now)
        {
            throw new InvalidInputException($"invalid time window: start {TimeInput.Format(from)} is in the future");
        }
        return new TimeWindow(from, to);
    }
}
