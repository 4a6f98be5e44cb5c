using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hokusai.Incidents.Aws;

public sealed record FilterLogEventsRequest
{
    public required string Group { get; init; }
    public required TimeWindow Window { get; init; }
    public string? StreamPrefix { get; init; }
    public string? FilterPattern { get; init; }
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

public sealed record LogPage(IReadOnlyList<LogEvent> Events, string? NextToken);

/// <summary>The CloudWatch Logs operations a pull uses, over <see cref="AwsJsonClient"/>.</summary>
public sealed class CloudWatchLogsApi(AwsJsonClient client)
{
    public AwsJsonClient Client { get; } = client;

    public async Task<LogPage> FilterLogEventsAsync(FilterLogEventsRequest request, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            // An ARN goes in logGroupIdentifier (cross-account); a plain name in logGroupName.
            [request.Group.StartsWith("arn:", StringComparison.Ordinal) ? "logGroupIdentifier" : "logGroupName"] = request.Group,
            ["startTime"] = AwsTime.ToEpochMilliseconds(request.Window.Start),
            ["endTime"] = AwsTime.ToEpochMilliseconds(request.Window.End),
            ["interleaved"] = true,
        };
        if (request.StreamPrefix is not null)
        {
            body["logStreamNamePrefix"] = request.StreamPrefix;
        }
        if (request.FilterPattern is not null)
        {
            body["filterPattern"] = request.FilterPattern;
        }
        if (request.Limit is { } limit)
        {
            body["limit"] = Math.Clamp(limit, 1, 10_000);
        }
        if (request.NextToken is not null)
        {
            body["nextToken"] = request.NextToken;
        }
        using var doc = await Client.SendAsync(AwsService.CloudWatchLogs, "FilterLogEvents", body, cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        var events = new List<LogEvent>();
        if (root.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in list.EnumerateArray())
            {
                events.Add(ReadEvent(e, request.Group));
            }
        }
        var token = root.TryGetProperty("nextToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new LogPage(events, string.IsNullOrEmpty(token) ? null : token);
    }

    /// <summary>Reads one event object of FilterLogEvents or GetLogEvents.</summary>
    public static LogEvent ReadEvent(JsonElement e, string? group, string? stream = null)
    {
        string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long? Millis(string name) => e.TryGetProperty(name, out var v) ? AwsTime.FromMilliseconds(v)?.ToUnixTimeMilliseconds() : null;
        return new LogEvent(
            group,
            Text("logStreamName") ?? stream,
            Millis("timestamp") ?? 0,
            Millis("ingestionTime"),
            Text("eventId"),
            Text("message") ?? "");
    }
}
