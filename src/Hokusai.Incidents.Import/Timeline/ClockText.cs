using System.Globalization;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents.Import.Timeline;

/// <summary>A time of day as a timeline writes it, with the date and zone if it gives them.</summary>
public sealed record ClockReading(DateOnly? Date, TimeOnly Time, TimeSpan? Offset)
{
    /// <summary>In UTC, on <see cref="Date"/> or else <paramref name="day"/>, in <see cref="Offset"/> or else <paramref name="zone"/> (UTC when neither).</summary>
    public DateTimeOffset? On(DateOnly? day, TimeSpan? zone)
    {
        if ((Date ?? day) is not { } d)
        {
            return null;
        }
        return new DateTimeOffset(d.ToDateTime(Time), Offset ?? zone ?? TimeSpan.Zero).ToUniversalTime();
    }
}

/// <summary>
/// Times and dates as incident write-ups give them: "13:26", "[13:26]", "**16:58 UTC**", "± 17:20 UTC:",
/// "10:18 AM", "2021-06-03 9:00", "09:40 CEST", "14:05 -07:00", and the zones teams name (UTC, Z,
/// GMT, CET/CEST, PST/PDT, EST/EDT, CST/CDT, MST/MDT, BST, IST, JST) turned into offsets.
/// </summary>
public static partial class ClockText
{
    private static readonly Dictionary<string, TimeSpan> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = TimeSpan.Zero,
        ["GMT"] = TimeSpan.Zero,
        ["Z"] = TimeSpan.Zero,
        ["CET"] = TimeSpan.FromHours(1),
        ["CEST"] = TimeSpan.FromHours(2),
        ["EET"] = TimeSpan.FromHours(2),
        ["EEST"] = TimeSpan.FromHours(3),
        ["BST"] = TimeSpan.FromHours(1),
        ["IST"] = new TimeSpan(5, 30, 0),
        ["JST"] = TimeSpan.FromHours(9),
        ["EST"] = TimeSpan.FromHours(-5),
        ["EDT"] = TimeSpan.FromHours(-4),
        ["CST"] = TimeSpan.FromHours(-6),
        ["CDT"] = TimeSpan.FromHours(-5),
        ["MST"] = TimeSpan.FromHours(-7),
        ["MDT"] = TimeSpan.FromHours(-6),
        ["PST"] = TimeSpan.FromHours(-8),
        ["PDT"] = TimeSpan.FromHours(-7),
    };

    /// <summary>A time at the start of a line, and the rest of the line after its separator.</summary>
    public static bool TryLeading(string text, out ClockReading reading, out string rest)
    {
        reading = null!;
        rest = "";
        var m = Leading().Match(text);
        if (!m.Success || !TryReading(m, out reading))
        {
            return false;
        }
        rest = m.Groups["rest"].Value.Trim();
        return true;
    }

    /// <summary>A cell or heading that is only a date and/or time (a table's Time column, a "### 2021-06-03 09:00" heading).</summary>
    public static bool TryWhole(string text, out ClockReading? reading, out DateOnly? dateOnly)
    {
        reading = null;
        dateOnly = null;
        var t = Syntax.InlineText.Plain(text).Trim().Trim('[', ']').Trim();
        var m = Whole().Match(t);
        if (m.Success && TryReading(m, out var r))
        {
            reading = r;
            return true;
        }
        if (TryDate(t, out var d) && t.Length <= 40)
        {
            dateOnly = d;
            return true;
        }
        return false;
    }

    /// <summary>A date anywhere in the text: 2021-06-03, 3 June 2021, June 3, 2021, Jun 3rd 2021.</summary>
    public static bool TryDate(string text, out DateOnly date)
    {
        date = default;
        var iso = IsoDate().Match(text);
        if (iso.Success)
        {
            return DateOnly.TryParseExact(iso.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }
        var words = WordDate().Match(text);
        if (words.Success)
        {
            var cleaned = Ordinal().Replace(words.Value, "$1").Replace(",", " ", StringComparison.Ordinal);
            cleaned = string.Join(' ', cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            string[] formats = ["MMMM d yyyy", "MMM d yyyy", "d MMMM yyyy", "d MMM yyyy", "dddd MMMM d yyyy", "dddd d MMMM yyyy"];
            return DateOnly.TryParseExact(cleaned, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date);
        }
        return false;
    }

    /// <summary>A zone name or offset ("PDT", "UTC+2", "+02:00") as an offset.</summary>
    public static TimeSpan? Zone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = text.Trim();
        if (Zones.TryGetValue(t, out var known))
        {
            return known;
        }
        var m = OffsetText().Match(t);
        if (!m.Success)
        {
            return null;
        }
        var hours = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minutes = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (hours > 14 || minutes > 59)
        {
            return null;
        }
        var span = new TimeSpan(hours, minutes, 0);
        return m.Groups["sign"].Value == "-" ? -span : span;
    }

    /// <summary>"All times are in PDT", "Times in UTC+2", "(all times CET)": the zone a document's bare times are in.</summary>
    public static TimeSpan? DocumentZone(string text)
    {
        var m = AllTimes().Match(text);
        return m.Success ? Zone(m.Groups["zone"].Value) : null;
    }

    private static bool TryReading(Match m, out ClockReading reading)
    {
        reading = null!;
        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(m.Groups["min"].Value, CultureInfo.InvariantCulture);
        var second = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        if (m.Groups["ampm"].Success)
        {
            var pm = char.ToLowerInvariant(m.Groups["ampm"].Value[0]) == 'p';
            if (hour is < 1 or > 12)
            {
                return false;
            }
            hour = hour % 12 + (pm ? 12 : 0);
        }
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        DateOnly? date = null;
        if (m.Groups["date"].Success)
        {
            if (!TryDate(m.Groups["date"].Value, out var d))
            {
                return false;
            }
            date = d;
        }
        TimeSpan? offset = null;
        if (m.Groups["zone"].Success && m.Groups["zone"].Value.Length > 0)
        {
            offset = Zone(m.Groups["zone"].Value);
            if (offset is null)
            {
                return false;
            }
        }
        reading = new ClockReading(date, new TimeOnly(hour, minute, second), offset);
        return true;
    }

    private const string DatePart = @"(?<date>\d{4}-\d{2}-\d{2}|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})";
    private const string TimePart = @"(?<h>\d{1,2}):(?<min>\d{2})(?::(?<s>\d{2}))?(?:\.\d+)?\s*(?<ampm>[AaPp]\.?[Mm]\.?)?";
    private const string ZonePart = @"(?<zone>Z|UTC(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|GMT(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|[CE]ES?T|[ECMP][SD]T|BST|IST|JST|[+-]\d{2}:?\d{2})?";

    // An optional bold/bracket wrapper, an "about" marker, date, time, zone, then a separator and the event.
    [GeneratedRegex(@"^(?:\*\*|__)?\s*[\[(]?\s*(?:~|±|≈|approx\.?|about|around|ca\.?)?\s*(?:" + DatePart + @"(?:\s*,?\s*|T|\s+at\s+))?" + TimePart + @"\s*" + ZonePart + @"\s*[\])]?\s*(?:\*\*|__)?\s*(?:[:|\-–—]+\s*)?(?:\*\*|__)?\s*(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Leading();

    [GeneratedRegex(@"^(?:~|±|≈|approx\.?|about)?\s*(?:" + DatePart + @"(?:\s*,?\s*|T|\s+at\s+))?" + TimePart + @"\s*" + ZonePart + @"$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4})\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WordDate();

    [GeneratedRegex(@"\b(\d{1,2})(?:st|nd|rd|th)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"^(?:UTC|GMT)?\s*(?<sign>[+-])\s*(?<h>\d{1,2})(?::?(?<m>\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetText();

    [GeneratedRegex(@"\b(?:all\s+)?times?\s+(?:are\s+|shown\s+|given\s+)?(?:in\s+)?(?<zone>UTC(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|GMT|[CE]ES?T|[ECMP][SD]T|BST|IST|JST|[+-]\d{2}:?\d{2})\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AllTimes();
}
