using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hokusai.Incidents.Aws.Tests.Fakes;

/// <summary>One Logs Insights query the fake has accepted, and how far it has got.</summary>
public sealed class FakeQuery
{
    public required string Id { get; init; }
    public required string QueryString { get; init; }
    public required IReadOnlyList<string> Groups { get; init; }
    public required long StartSeconds { get; init; }
    public required long EndSeconds { get; init; }
    public required IReadOnlyList<JsonArray> Rows { get; init; }
    public required (long Matched, long Scanned, long Bytes) Statistics { get; init; }
    public int Polls { get; set; }
    public string Status { get; set; } = "Scheduled";
}

/// <summary>
/// Logs Insights: StartQuery / GetQueryResults / StopQuery over the fake's log events. A query moves
/// Scheduled → Running (partial rows) → Complete as it is polled, like the service; it understands
/// <c>fields</c>, <c>filter @message like /text/</c>, <c>sort @timestamp asc|desc</c>, <c>limit N</c>
/// and <c>stats count(*)</c>, and answers anything else with MalformedQueryException.
/// </summary>
public sealed partial class FakeAwsServer
{
    public ConcurrentDictionary<string, FakeQuery> Queries { get; } = new();

    /// <summary>GetQueryResults calls before a query leaves Running (the first answers Scheduled).</summary>
    public int InsightsPollsToFinish { get; set; } = 3;

    /// <summary>How a query ends once polled enough: Complete, or Failed / Timeout to test those.</summary>
    public string InsightsFinalStatus { get; set; } = "Complete";

    private HttpResponseData StartQuery(JsonObject body)
    {
        var groups = new List<string>();
        if (Str(body, "logGroupName") is { } one)
        {
            groups.Add(one);
        }
        foreach (var list in new[] { "logGroupNames", "logGroupIdentifiers" })
        {
            if (body[list] is JsonArray names)
            {
                groups.AddRange(names.Select(n => n!.GetValue<string>()).Select(g => g[(g.LastIndexOf(':') + 1)..]));
            }
        }
        if (groups.Count == 0)
        {
            return Error(400, "InvalidParameterException", "Log group names or identifiers must be provided.");
        }
        var query = Str(body, "queryString");
        var start = Long(body, "startTime");
        var end = Long(body, "endTime");
        if (query is null || start is null || end is null)
        {
            return Error(400, "InvalidParameterException", "queryString, startTime and endTime are required.");
        }
        if (end < start)
        {
            return Error(400, "InvalidParameterException", "End time should not be before the start time.");
        }
        foreach (var g in groups)
        {
            if (DeniedGroups.ContainsKey(g))
            {
                return Error(400, "AccessDeniedException", $"User is not authorized to perform: logs:StartQuery on resource: {g}");
            }
            if (!LogGroups.ContainsKey(g))
            {
                return Error(400, "ResourceNotFoundException", $"Log group '{g}' does not exist for account ID '123456789012'");
            }
        }
        var limit = Int(body, "limit") ?? 1000;
        if (!TryCompile(query, out var plan, out var error))
        {
            return new HttpResponseData(400, new JsonObject
            {
                ["__type"] = "MalformedQueryException",
                ["message"] = error.Message,
                ["queryCompileError"] = new JsonObject
                {
                    ["location"] = new JsonObject { ["startCharOffset"] = error.Offset, ["endCharOffset"] = error.Offset + error.Length },
                    ["message"] = error.Message,
                },
            }.ToJsonString());
        }
        var events = new List<(string Group, FakeLogEvent Event)>();
        foreach (var g in groups)
        {
            var all = LogGroups[g];
            lock (all)
            {
                events.AddRange(all.Where(e => e.Timestamp >= start * 1000 && e.Timestamp < (end + 1) * 1000).Select(e => (g, e)));
            }
        }
        var matched = events.Where(x => plan.Like is null || x.Event.Message.Contains(plan.Like, StringComparison.Ordinal)).ToList();
        matched = plan.Descending
            ? [.. matched.OrderByDescending(x => x.Event.Timestamp).ThenByDescending(x => x.Event.EventId, StringComparer.Ordinal)]
            : [.. matched.OrderBy(x => x.Event.Timestamp).ThenBy(x => x.Event.EventId, StringComparer.Ordinal)];
        var rows = plan.Count
            ? [new JsonArray(Field("count(*)", matched.Count.ToString(CultureInfo.InvariantCulture)))]
            : matched.Take(Math.Min(limit, plan.Limit ?? int.MaxValue)).Select(x => Row(plan.Fields, x.Group, x.Event)).ToList();
        var id = Guid.NewGuid().ToString();
        Queries[id] = new FakeQuery
        {
            Id = id,
            QueryString = query,
            Groups = groups,
            StartSeconds = start.Value,
            EndSeconds = end.Value,
            Rows = rows,
            Statistics = (matched.Count, events.Count, events.Sum(x => (long)Encoding.UTF8.GetByteCount(x.Event.Message))),
        };
        return Ok(new JsonObject { ["queryId"] = id });
    }

    private HttpResponseData GetQueryResults(JsonObject body)
    {
        if (Str(body, "queryId") is not { } id || !Queries.TryGetValue(id, out var q))
        {
            return Error(400, "ResourceNotFoundException", "The specified query does not exist.");
        }
        int shown;
        lock (q)
        {
            q.Polls++;
            if (q.Status is "Scheduled" or "Running")
            {
                q.Status = q.Polls >= InsightsPollsToFinish ? InsightsFinalStatus : q.Polls == 1 ? "Scheduled" : "Running";
            }
            // While running the service returns what it has so far; a failed query returns nothing.
            shown = q.Status switch
            {
                "Complete" => q.Rows.Count,
                "Running" => q.Rows.Count / 2,
                _ => 0,
            };
        }
        var fraction = q.Status == "Complete" ? 1.0 : q.Status == "Running" ? 0.5 : 0;
        return Ok(new JsonObject
        {
            ["results"] = new JsonArray([.. q.Rows.Take(shown).Select(r => (JsonNode)r.DeepClone())]),
            ["statistics"] = new JsonObject
            {
                ["recordsMatched"] = Math.Round(q.Statistics.Matched * fraction),
                ["recordsScanned"] = Math.Round(q.Statistics.Scanned * fraction),
                ["bytesScanned"] = Math.Round(q.Statistics.Bytes * fraction),
            },
            ["status"] = q.Status,
        });
    }

    private HttpResponseData StopQuery(JsonObject body)
    {
        if (Str(body, "queryId") is not { } id || !Queries.TryGetValue(id, out var q))
        {
            return Error(400, "ResourceNotFoundException", "The specified query does not exist.");
        }
        lock (q)
        {
            var running = q.Status is "Scheduled" or "Running";
            if (running)
            {
                q.Status = "Cancelled";
            }
            return Ok(new JsonObject { ["success"] = running });
        }
    }

    private static JsonObject Field(string name, string value) => new() { ["field"] = name, ["value"] = value };

    private static JsonArray Row(IReadOnlyList<string> fields, string group, FakeLogEvent e)
    {
        var row = new JsonArray();
        foreach (var f in fields)
        {
            var value = f switch
            {
                "@timestamp" => DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                "@message" => e.Message,
                "@logStream" => e.Stream,
                "@log" => $"123456789012:{group}",
                _ => null,
            };
            if (value is not null)
            {
                row.Add(Field(f, value));
            }
        }
        // The service always adds @ptr, the record's handle for GetLogRecord.
        row.Add(Field("@ptr", Convert.ToBase64String(Encoding.UTF8.GetBytes(e.EventId))));
        return row;
    }

    private sealed record QueryPlan(IReadOnlyList<string> Fields, string? Like, bool Descending, int? Limit, bool Count);

    private sealed record CompileError(string Message, int Offset, int Length);

    private static bool TryCompile(string query, out QueryPlan plan, out CompileError error)
    {
        var fields = new List<string> { "@timestamp", "@message" };
        string? like = null;
        var descending = false;
        int? limit = null;
        var count = false;
        plan = new QueryPlan(fields, null, false, null, false);
        error = new CompileError("", 0, 0);
        var offset = 0;
        foreach (var part in query.Split('|'))
        {
            var command = part.Trim();
            var at = offset + part.Length - part.TrimStart().Length;
            offset += part.Length + 1;
            var word = command.Split(' ', 2)[0];
            var rest = command.Length > word.Length ? command[word.Length..].Trim() : "";
            switch (word)
            {
                case "fields" when rest.Length > 0:
                    fields = [.. rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                    break;
                case "filter" when LikePattern().Match(rest) is { Success: true } m:
                    like = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                    break;
                case "sort" when rest is "@timestamp desc" or "@timestamp asc" or "@timestamp":
                    descending = rest.EndsWith("desc", StringComparison.Ordinal);
                    break;
                case "limit" when int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 10_000:
                    limit = n;
                    break;
                case "stats" when rest == "count(*)":
                    count = true;
                    break;
                default:
                    var bad = command.Length == 0 ? "|" : word;
                    error = new CompileError($"unexpected symbol found {bad} at line 1 and position {at + 1}", at, bad.Length);
                    return false;
            }
        }
        plan = new QueryPlan(fields, like, descending, limit, count);
        return true;
    }

    [GeneratedRegex("""^@message like (?:/([^/]*)/|"([^"]*)")$""")]
    private static partial Regex LikePattern();
}
