using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

public sealed record InsightsQueryRequest
{
    public required string IncidentId { get; init; }
    public required IReadOnlyList<string> Groups { get; init; }
    public required string QueryString { get; init; }
    public required TimeWindow Window { get; init; }
    /// <summary>Most rows to return (the service allows up to 10,000; its default is 1,000).</summary>
    public int? Limit { get; init; }
    public IReadOnlyList<string> Supports { get; init; } = [];
    /// <summary>Pause between GetQueryResults calls while the query is scheduled or running.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What the service says about the work a query did.</summary>
public sealed record InsightsStatistics(double RecordsMatched, double RecordsScanned, double BytesScanned);

/// <summary>One GetQueryResults answer: status, rows so far and statistics.</summary>
public sealed record InsightsQueryState(string Status, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Rows, InsightsStatistics Statistics);

public sealed record InsightsProgress(string QueryId, string Status, int Rows, InsightsStatistics Statistics, TimeSpan Elapsed);

public sealed record InsightsResult(string QueryId, string Status, int Rows, long Added, long Skipped, long SummaryNumber,
    InsightsStatistics Statistics, TimeSpan Elapsed);

/// <summary>The Logs Insights operations, over <see cref="AwsJsonClient"/> (JSON 1.1, target Logs_20140328).</summary>
public sealed class LogsInsightsApi(AwsJsonClient client)
{
    public AwsJsonClient Client { get; } = client;

    public async Task<string> StartQueryAsync(IReadOnlyList<string> groups, string query, TimeWindow window, int? limit, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            // Epoch seconds, unlike FilterLogEvents' milliseconds.
            ["startTime"] = window.Start.ToUnixTimeSeconds(),
            ["endTime"] = window.End.ToUnixTimeSeconds(),
            ["queryString"] = query,
        };
        // ARNs (cross-account) go in logGroupIdentifiers; the two lists cannot be mixed in one request.
        var key = groups.Any(g => g.StartsWith("arn:", StringComparison.Ordinal)) ? "logGroupIdentifiers" : "logGroupNames";
        body[key] = new JsonArray([.. groups.Select(g => (JsonNode)JsonValue.Create(g))]);
        if (limit is { } l)
        {
            body["limit"] = Math.Clamp(l, 1, 10_000);
        }
        using var doc = await Client.SendAsync(AwsService.CloudWatchLogs, "StartQuery", body, cancellationToken).ConfigureAwait(false);
        return doc.RootElement.TryGetProperty("queryId", out var id) && id.GetString() is { Length: > 0 } text
            ? text
            : throw new AwsException("InvalidResponse: StartQuery returned no queryId", "InvalidResponse");
    }

    public async Task<InsightsQueryState> GetQueryResultsAsync(string queryId, CancellationToken cancellationToken)
    {
        using var doc = await Client.SendAsync(AwsService.CloudWatchLogs, "GetQueryResults", new JsonObject { ["queryId"] = queryId }, cancellationToken)
            .ConfigureAwait(false);
        var root = doc.RootElement;
        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "Unknown";
        var rows = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        if (root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var row in results.EnumerateArray())
            {
                var fields = new List<KeyValuePair<string, string>>();
                foreach (var f in row.EnumerateArray())
                {
                    if (f.TryGetProperty("field", out var name) && name.GetString() is { } n)
                    {
                        fields.Add(new(n, f.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : ""));
                    }
                }
                rows.Add(fields);
            }
        }
        double Stat(string name) => root.TryGetProperty("statistics", out var st) && st.TryGetProperty(name, out var v) && v.TryGetDouble(out var d) ? d : 0;
        return new InsightsQueryState(status, rows, new InsightsStatistics(Stat("recordsMatched"), Stat("recordsScanned"), Stat("bytesScanned")));
    }

    public async Task StopQueryAsync(string queryId, CancellationToken cancellationToken)
    {
        using var _ = await Client.SendAsync(AwsService.CloudWatchLogs, "StopQuery", new JsonObject { ["queryId"] = queryId }, cancellationToken)
            .ConfigureAwait(false);
    }
}

/// <summary>
/// Runs a Logs Insights query to the end and stores what it found: one evidence item per result row
/// (its fields as attributes, <c>@message</c> as the text when the query returns it) and one item for
/// the query itself (text, groups, window, statistics). Cancelling stops the query on the service too,
/// so an abandoned query does not keep scanning (and billing) for up to an hour.
/// </summary>
public sealed class InsightsQueryRunner(IIncidentStore store, LogsInsightsApi api, TimeProvider clock)
{
    /// <summary>Attribute names of Insights evidence.</summary>
    public const string QueryIdAttribute = "insightsQueryId";
    public const string QueryAttribute = "insightsQuery";
    public const string FieldPrefix = "field:";

    private static readonly HashSet<string> Unfinished = new(StringComparer.Ordinal) { "Scheduled", "Running" };

    public async Task<InsightsResult> RunAsync(InsightsQueryRequest request, IProgress<InsightsProgress>? progress, CancellationToken cancellationToken)
    {
        store.Get(request.IncidentId);
        if (string.IsNullOrWhiteSpace(request.QueryString))
        {
            throw new InvalidInputException("invalid --query: the query text is empty");
        }
        var watch = Stopwatch.StartNew();
        var where = $"Logs Insights query on {string.Join(", ", request.Groups)}";
        string queryId;
        try
        {
            queryId = await api.StartQueryAsync(request.Groups, request.QueryString, request.Window, request.Limit, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsException e)
        {
            throw e.About(where);
        }
        InsightsQueryState state;
        try
        {
            while (true)
            {
                state = await api.GetQueryResultsAsync(queryId, cancellationToken).ConfigureAwait(false);
                progress?.Report(new InsightsProgress(queryId, state.Status, state.Rows.Count, state.Statistics, watch.Elapsed));
                if (!Unfinished.Contains(state.Status))
                {
                    break;
                }
                await Task.Delay(request.PollInterval, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopQuietlyAsync(queryId).ConfigureAwait(false);
            throw;
        }
        catch (AwsException e)
        {
            throw e.About($"{where} ({queryId})");
        }
        if (state.Status != "Complete")
        {
            throw new AwsException($"{where} ({queryId}): {state.Status}: {Explain(state.Status)}", state.Status);
        }
        var key = QueryKey(request);
        var items = new List<Evidence>(state.Rows.Count + 1);
        for (var i = 0; i < state.Rows.Count; i++)
        {
            items.Add(RowEvidence(request, queryId, key, i, state.Rows[i]));
        }
        var write = store.AddEvidence(items);
        var summary = store.AddEvidence([SummaryEvidence(request, queryId, key, state)]);
        return new InsightsResult(queryId, state.Status, state.Rows.Count, write.Added, write.Skipped,
            summary.Numbers.Count > 0 ? summary.Numbers[0] : 0, state.Statistics, watch.Elapsed);
    }

    private async Task StopQuietlyAsync(string queryId)
    {
        // The caller's token is already cancelled; give StopQuery a few seconds of its own.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await api.StopQueryAsync(queryId, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AwsException or OperationCanceledException)
        {
            // The query may have finished meanwhile; nothing is left to stop.
        }
    }

    private static string Explain(string status) => status switch
    {
        "Failed" => "the service could not run the query",
        "Timeout" => "the query ran past the service's time limit; narrow the window or split the query",
        "Cancelled" => "the query was stopped before it finished",
        _ => "the query did not complete",
    };

    /// <summary>Same query, groups and window: the same key, so running it again stores nothing twice.</summary>
    private static string QueryKey(InsightsQueryRequest r) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
        r.QueryString, string.Join(',', r.Groups), r.Window.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        r.Window.End.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)))))[..16];

    private static Evidence RowEvidence(InsightsQueryRequest request, string queryId, string key, int index,
        IReadOnlyList<KeyValuePair<string, string>> row)
    {
        var attributes = new Dictionary<string, string>(row.Count + 2) { [QueryIdAttribute] = queryId };
        foreach (var (name, value) in row)
        {
            attributes[FieldPrefix + name] = value;
        }
        string? Field(string name) => row.FirstOrDefault(f => f.Key == name).Value;
        var message = Field("@message");
        var group = Field("@log") is { } log ? log[(log.IndexOf(':') + 1)..] : request.Groups.Count == 1 ? request.Groups[0] : null;
        if (group is not null)
        {
            attributes[EvidenceAttributes.LogGroup] = group;
        }
        if (Field("@logStream") is { } stream)
        {
            attributes[EvidenceAttributes.LogStream] = stream;
        }
        var shown = row.Where(f => f.Key != "@ptr").ToList();
        return new Evidence
        {
            IncidentId = request.IncidentId,
            // A row with the log line is a log excerpt; an aggregate (stats … by bin) is query output.
            Kind = message is not null ? EvidenceKind.LogExcerpt : EvidenceKind.CommandOutput,
            Source = group ?? string.Join(", ", request.Groups),
            Time = ParseTimestamp(Field("@timestamp")),
            Title = string.Create(CultureInfo.InvariantCulture, $"Logs Insights row {index + 1}"),
            Content = message?.TrimEnd('\r', '\n') ?? string.Join("\n", shown.Select(f => $"{f.Key}: {f.Value}")),
            Language = message is null ? "text" : null,
            Supports = request.Supports,
            Attributes = attributes,
            DedupKey = string.Create(CultureInfo.InvariantCulture, $"cwli:{key}:{index}:{RowHash(row)}"),
        };
    }

    private static Evidence SummaryEvidence(InsightsQueryRequest request, string queryId, string key, InsightsQueryState state)
    {
        var s = state.Statistics;
        var text = new StringBuilder()
            .AppendLine(request.QueryString.Trim())
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"log groups: {string.Join(", ", request.Groups)}")
            .AppendLine(CultureInfo.InvariantCulture, $"window: {TimeInput.Format(request.Window.Start)} .. {TimeInput.Format(request.Window.End)}")
            .Append(CultureInfo.InvariantCulture,
                $"rows: {state.Rows.Count}; records matched: {s.RecordsMatched:0}; records scanned: {s.RecordsScanned:0}; bytes scanned: {s.BytesScanned:0}")
            .ToString();
        return new Evidence
        {
            IncidentId = request.IncidentId,
            Kind = EvidenceKind.CommandOutput,
            Source = string.Join(", ", request.Groups),
            Time = request.Window.End,
            Title = "CloudWatch Logs Insights query",
            Content = text,
            Language = "text",
            Supports = request.Supports,
            Attributes = new Dictionary<string, string>
            {
                [QueryIdAttribute] = queryId,
                [QueryAttribute] = request.QueryString,
                ["logGroups"] = string.Join(",", request.Groups),
                ["windowStart"] = TimeInput.Format(request.Window.Start),
                ["windowEnd"] = TimeInput.Format(request.Window.End),
                ["rows"] = state.Rows.Count.ToString(CultureInfo.InvariantCulture),
                ["recordsMatched"] = s.RecordsMatched.ToString("0", CultureInfo.InvariantCulture),
                ["recordsScanned"] = s.RecordsScanned.ToString("0", CultureInfo.InvariantCulture),
                ["bytesScanned"] = s.BytesScanned.ToString("0", CultureInfo.InvariantCulture),
            },
            DedupKey = $"cwli:{key}:query",
        };
    }

    private static string RowHash(IReadOnlyList<KeyValuePair<string, string>> row) => Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', row.Select(f => f.Key + "=" + f.Value)))))[..16];

    /// <summary>Insights writes @timestamp as "2025-08-20 13:00:00.000" in UTC.</summary>
    public static DateTimeOffset? ParseTimestamp(string? text) =>
        text is not null && DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss.fff", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
