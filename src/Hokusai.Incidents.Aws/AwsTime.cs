using System.Globalization;
using System.Text.Json;

namespace Hokusai.Incidents.Aws;

/// <summary>
/// AWS time stamps as they arrive: CloudWatch Logs in epoch milliseconds, ECS in epoch seconds with a
/// fraction (sometimes in E-notation such as <c>1.755697457848E9</c>), and the AWS CLI as ISO-8601 text.
/// </summary>
public static class AwsTime
{
    public static DateTimeOffset FromEpochMilliseconds(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>True when <paramref name="ms"/> is a time .NET can hold (years 1 to 9999).</summary>
    public static bool IsEpochMilliseconds(long ms) => ms is >= -62_135_596_800_000 and <= 253_402_300_799_999;

    public static long ToEpochMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Epoch seconds (number, E-notation or numeric text) or ISO-8601 text; null when absent or unreadable.</summary>
    public static DateTimeOffset? FromSeconds(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetDecimal(out var d) ? FromDecimalSeconds(d) : FromDoubleSeconds(value.GetDouble()),
        JsonValueKind.String => Parse(value.GetString()!, seconds: true),
        _ => null,
    };

    /// <summary>Epoch milliseconds (number or numeric text) or ISO-8601 text.</summary>
    public static DateTimeOffset? FromMilliseconds(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out var ms) ? (IsEpochMilliseconds(ms) ? FromEpochMilliseconds(ms) : null)
            : value.TryGetDecimal(out var d) ? FromDecimalSeconds(d / 1000m) : null,
        JsonValueKind.String => Parse(value.GetString()!, seconds: false),
        _ => null,
    };

    private static DateTimeOffset? Parse(string text, bool seconds)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return FromDecimalSeconds(seconds ? number : number / 1000m);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t.ToUniversalTime()
            : null;
    }

    private static DateTimeOffset? FromDecimalSeconds(decimal seconds)
    {
        // Millisecond precision is what AWS keeps; rounding avoids 0.8479999 style drift.
        var ms = decimal.Round(seconds * 1000m, MidpointRounding.AwayFromZero);
        return ms is < -62_135_596_800_000m or > 253_402_300_799_999m ? null : FromEpochMilliseconds((long)ms);
    }

    private static DateTimeOffset? FromDoubleSeconds(double seconds) =>
        double.IsFinite(seconds) ? FromDecimalSeconds((decimal)seconds) : null;
}
