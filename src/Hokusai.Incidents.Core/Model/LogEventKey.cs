using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hokusai.Incidents;

/// <summary>
/// The one identity of a CloudWatch Logs event, however it reached us (a pull, a saved
/// <c>filter-log-events</c> or <c>get-log-events</c> file). It is made of what every source carries:
/// log group, stream, timestamp, ingestion time and message. The event id is not part of it because
/// <c>get-log-events</c> output has none; events that really repeat (same stream, millisecond and
/// message, as multi-line stack traces and retries do) are told apart by their occurrence: the n-th
/// identical event of a source gets the n-th key, and every source lists them in the same order.
/// </summary>
public static class LogEventKey
{
    /// <summary>Keys of this scheme start so; earlier versions used <see cref="LegacyPrefix"/>.</summary>
    public const string Prefix = "cwl2:";

    /// <summary>Keys stored before this scheme: <c>cwl:EVENTID</c> or <c>cwl:GROUP:STREAM:TIMESTAMP:HASH</c>.</summary>
    public const string LegacyPrefix = "cwl:";

    /// <summary>The key of the <paramref name="occurrence"/>-th (from 0) identical event described by <paramref name="identity"/>.</summary>
    public static string For(string identity, int occurrence) =>
        occurrence == 0 ? identity : string.Create(CultureInfo.InvariantCulture, $"{identity}#{occurrence}");

    /// <summary>What identical events share: a hash of group, stream, timestamp, ingestion time and message.</summary>
    public static string Identity(string group, string stream, long timestamp, long? ingestionTime, string message)
    {
        var text = string.Join('\u001f', NormaliseGroup(group), stream,
            timestamp.ToString(CultureInfo.InvariantCulture), ingestionTime?.ToString(CultureInfo.InvariantCulture) ?? "",
            NormaliseMessage(message));
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    /// <summary>Messages are stored without their trailing line break; the key must agree with what is stored.</summary>
    public static string NormaliseMessage(string message) => message.TrimEnd('\r', '\n');

    /// <summary>
    /// A group given as an ARN (<c>arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]</c>) is the same group as its name.
    /// </summary>
    public static string NormaliseGroup(string group)
    {
        const string Marker = ":log-group:";
        if (!group.StartsWith("arn:", StringComparison.Ordinal))
        {
            return group;
        }
        var at = group.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return group;
        }
        var name = group[(at + Marker.Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }
}

/// <summary>
/// Counts identical events as a source lists them, giving each its occurrence number. Identical
/// events share a timestamp, and sources list events in time order, so counts of earlier
/// milliseconds are dropped as time moves on; a source that goes back in time keeps them all.
/// </summary>
public sealed class LogEventOccurrences
{
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private long _latest = long.MinValue;
    private bool _inOrder = true;

    /// <summary>The occurrence (from 0) of this identity within the source so far.</summary>
    public int Next(string identity, long timestamp)
    {
        if (timestamp > _latest)
        {
            if (_inOrder)
            {
                _seen.Clear();
            }
            _latest = timestamp;
        }
        else if (timestamp < _latest)
        {
            _inOrder = false;
        }
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_seen, identity, out _);
        return count++;
    }

    /// <summary>The counts at the latest timestamp, to carry into a later run that resumes the same source.</summary>
    public string Save() => string.Join('\n', _seen.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value}")).Prepend(
        _latest.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Counts saved by <see cref="Save"/>; an unreadable value starts from nothing.</summary>
    public static LogEventOccurrences Restore(string? saved)
    {
        var result = new LogEventOccurrences();
        if (string.IsNullOrEmpty(saved))
        {
            return result;
        }
        var lines = saved.Split('\n');
        if (!long.TryParse(lines[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var latest))
        {
            return result;
        }
        result._latest = latest;
        foreach (var line in lines.Skip(1))
        {
            var space = line.LastIndexOf(' ');
            if (space > 0 && int.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                result._seen[line[..space]] = n;
            }
        }
        return result;
    }
}
