using System.Globalization;
using System.Text;

namespace Hokusai.Incidents.Site;

/// <summary>
/// Escaping for everything the site writes from incident text. Only the five characters that can end
/// text or an attribute value are replaced, so non-ASCII text stays readable and the bytes stay stable.
/// </summary>
public static class Html
{
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>A UTC time as the documents show it: 2025-08-18 09:20 UTC.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "";

    /// <summary>A machine-readable time for <c>datetime</c> and sort attributes.</summary>
    public static string IsoTime(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>A duration the way people say it: 45m, 2h 10m, 3d 4h.</summary>
    public static string Duration(TimeSpan? span)
    {
        if (span is not { } d)
        {
            return "";
        }
        if (d < TimeSpan.Zero)
        {
            return "-" + Duration(-d);
        }
        var inv = CultureInfo.InvariantCulture;
        if (d.TotalDays >= 1)
        {
            return d.Hours == 0 ? string.Create(inv, $"{(int)d.TotalDays}d") : string.Create(inv, $"{(int)d.TotalDays}d {d.Hours}h");
        }
        if (d.TotalHours >= 1)
        {
            return d.Minutes == 0 ? string.Create(inv, $"{(int)d.TotalHours}h") : string.Create(inv, $"{(int)d.TotalHours}h {d.Minutes}m");
        }
        return string.Create(inv, $"{Math.Max(0, (int)Math.Round(d.TotalMinutes))}m");
    }

    public static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
