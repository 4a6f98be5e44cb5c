using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hokusai.Incidents.Aws.Tests.Fakes;

public sealed record FakeLogEvent(string Stream, long Timestamp, string Message, string EventId, long IngestionTime);

/// <summary>Faults injected before an operation runs; rates are probabilities per request.</summary>
public sealed class FakeFaults
{
    public double ThrottleRate { get; set; }
    public double ServerErrorRate { get; set; }
    public double TruncateRate { get; set; }
    public double ResetRate { get; set; }
    public double EmptyPageRate { get; set; }
    public TimeSpan Latency { get; set; }
    /// <summary>Every request after this many is throttled, as an account whose quota others use up (null: never).</summary>
    public int? ThrottleEverythingAfter { get; set; }
}

/// <summary>
/// The subset of CloudWatch Logs (FilterLogEvents) and ECS (DescribeServices, ListTasks, DescribeTasks)
/// that pulls use, spoken over JSON 1.1 like AWS: dispatch on X-Amz-Target, required fields checked,
/// opaque page tokens, <c>__type</c> error bodies with HTTP 400, and SigV4 signatures verified with the
/// known secret keys (computed here independently of AWSSDK.Core).
/// </summary>
public sealed partial class FakeAwsServer : IAsyncDisposable
{
    public const string AccessKey = "AKIDFAKEEXAMPLE00001";
    public const string SecretKey = "fake/secret/key/for/tests/only/0000000000";

    private readonly LocalHttpServer _http;
    private readonly Random _random = new(4242);
    private readonly Lock _randomGate = new();

    public FakeAwsServer()
    {
        Keys[AccessKey] = SecretKey;
        _http = new LocalHttpServer(HandleAsync);
    }

    public Uri Endpoint => _http.Endpoint;
    public string Region { get; set; } = "eu-west-1";

    /// <summary>
    /// Settings that send every call here with this server's keys, and retry and pace fast enough
    /// for tests; <paramref name="home"/> stands in for ~ so no real AWS profile is read.
    /// </summary>
    public AwsSettings SettingsFor(string home, TimeSpan? maxWait = null) => new()
    {
        Region = Region,
        EndpointUrl = Endpoint.ToString(),
        Variables = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["HOME"] = home,
        },
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(2), MaxDelay = TimeSpan.FromMilliseconds(20), RequestTimeout = TimeSpan.FromSeconds(10) },
        RequestsPerSecond = 100_000,
        MaxWait = maxWait ?? TimeSpan.FromMinutes(2),
    };
    public int PageSize { get; set; } = 100;
    public FakeFaults Faults { get; } = new();

    /// <summary>Access key id → secret key; requests signed with other keys are rejected like AWS does.</summary>
    public ConcurrentDictionary<string, string> Keys { get; } = new();
    public ConcurrentDictionary<string, bool> ExpiredKeys { get; } = new();
    public ConcurrentDictionary<string, List<FakeLogEvent>> LogGroups { get; } = new();
    public ConcurrentDictionary<string, bool> DeniedGroups { get; } = new();
    /// <summary>Cluster → service name → raw service JSON; tasks as raw JSON per cluster.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, string>> Services { get; } = new();
    public ConcurrentDictionary<string, List<string>> Tasks { get; } = new();
    /// <summary>ListTasks answers a service's query with the tasks of every service of the cluster, as the issue saw an endpoint do.</summary>
    public bool ListTasksIncludesOtherServices { get; set; }

    private int _answered;

    public ConcurrentQueue<(string Target, string AccessKey, int Status)> Requests { get; } = new();

    public int Count(string operation) => Requests.Count(r => r.Target.EndsWith("." + operation, StringComparison.Ordinal) && r.Status == 200);

    /// <summary>Replaces a task (matched by ARN) with a later state of it, as ECS shows a task moving on.</summary>
    public void UpdateTask(string cluster, string arn, string json)
    {
        var tasks = Tasks.GetOrAdd(cluster, _ => []);
        lock (tasks)
        {
            tasks.RemoveAll(t => Str(JsonNode.Parse(t)!.AsObject(), "taskArn") == arn);
            tasks.Add(json);
        }
    }

    public void AddLogEvents(string group, IEnumerable<FakeLogEvent> events) =>
        LogGroups.AddOrUpdate(group, _ => [.. events], (_, list) => { lock (list) { list.AddRange(events); } return list; });

    /// <summary>Deterministic events: ids unique across groups, timestamps one second apart from <paramref name="start"/>.</summary>
    public static IEnumerable<FakeLogEvent> MakeEvents(string group, int count, DateTimeOffset start, string stream = "api/abc", Func<int, string>? message = null) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var ts = start.AddSeconds(i).ToUnixTimeMilliseconds();
            var id = $"{ts:D20}{Math.Abs(group.GetHashCode(StringComparison.Ordinal)) % 100000:D5}{i:D10}";
            return new FakeLogEvent(stream, ts, message?.Invoke(i) ?? $"{group} line {i}", id, ts + 150);
        });

    private async Task<HttpResponseData> HandleAsync(HttpRequestData request)
    {
        var target = request.Header("X-Amz-Target") ?? "";
        var response = await DispatchAsync(request, target);
        Requests.Enqueue((target, AccessKeyOf(request) ?? "", response.Status));
        return response;
    }

    private async Task<HttpResponseData> DispatchAsync(HttpRequestData request, string target)
    {
        if (request is { Method: "GET", Path: ContainerCredentialsPath })
        {
            return ContainerCredentials();
        }
        if (request.Method != "POST" || request.Path != "/")
        {
            return Error(404, "UnknownOperationException", "");
        }
        if (request.Header("Content-Type") != "application/x-amz-json-1.1")
        {
            return Error(400, "SerializationException", "expected Content-Type application/x-amz-json-1.1");
        }
        var authFailure = CheckSignature(request, target);
        if (authFailure is not null)
        {
            return authFailure;
        }
        if (Faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Faults.Latency);
        }
        if (Interlocked.Increment(ref _answered) > Faults.ThrottleEverythingAfter || Roll(Faults.ThrottleRate))
        {
            return Error(400, "ThrottlingException", "Rate exceeded");
        }
        if (Roll(Faults.ServerErrorRate))
        {
            return Error(500, "InternalFailure", "We encountered an internal error. Please try again.");
        }
        if (Roll(Faults.ResetRate))
        {
            return new HttpResponseData(0, "") { Reset = true };
        }
        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Error(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        var result = target switch
        {
            "Logs_20140328.FilterLogEvents" => FilterLogEvents(body),
            "Logs_20140328.StartQuery" => StartQuery(body),
            "Logs_20140328.GetQueryResults" => GetQueryResults(body),
            "Logs_20140328.StopQuery" => StopQuery(body),
            "AmazonEC2ContainerServiceV20141113.DescribeServices" => DescribeServices(body),
            "AmazonEC2ContainerServiceV20141113.ListTasks" => ListTasks(body),
            "AmazonEC2ContainerServiceV20141113.DescribeTasks" => DescribeTasks(body),
            _ => Error(400, "UnknownOperationException", $"Unknown operation {target}"),
        };
        if (result.Status == 200 && Roll(Faults.TruncateRate))
        {
            return result with { TruncateAt = result.Body.Length / 2 };
        }
        return result;
    }

    private HttpResponseData FilterLogEvents(JsonObject body)
    {
        var name = Str(body, "logGroupName");
        var identifier = Str(body, "logGroupIdentifier");
        if ((name is null) == (identifier is null))
        {
            return Error(400, "InvalidParameterException", "Exactly one of logGroupName or logGroupIdentifier must be given.");
        }
        var group = name ?? identifier![(identifier!.LastIndexOf(':') + 1)..];
        if (DeniedGroups.ContainsKey(group))
        {
            return Error(400, "AccessDeniedException", $"User is not authorized to perform: logs:FilterLogEvents on resource: {group}");
        }
        if (!LogGroups.TryGetValue(group, out var all))
        {
            return Error(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        var limit = Int(body, "limit") ?? PageSize;
        if (limit is < 1 or > 10_000)
        {
            return Error(400, "InvalidParameterException", "1 validation error detected: Value at 'limit' failed to satisfy constraint");
        }
        var start = Long(body, "startTime") ?? long.MinValue;
        var end = Long(body, "endTime") ?? long.MaxValue;
        var prefix = Str(body, "logStreamNamePrefix");
        var terms = (Str(body, "filterPattern") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('"')).ToList();
        List<FakeLogEvent> matching;
        lock (all)
        {
            matching = [.. all.Where(e => e.Timestamp >= start && e.Timestamp <= end
                    && (prefix is null || e.Stream.StartsWith(prefix, StringComparison.Ordinal))
                    && terms.All(t => e.Message.Contains(t, StringComparison.Ordinal)))
                .OrderBy(e => e.Timestamp).ThenBy(e => e.EventId, StringComparer.Ordinal)];
        }
        var query = $"{group}|{start}|{end}|{prefix}|{string.Join(' ', terms)}";
        var offset = 0;
        if (Str(body, "nextToken") is { } token)
        {
            if (!TryReadToken(token, query, out offset))
            {
                return Error(400, "InvalidParameterException", "The specified nextToken is invalid.");
            }
        }
        if (offset < matching.Count && Roll(Faults.EmptyPageRate))
        {
            // AWS returns empty pages with a token while it searches; the client must keep going.
            return Ok(new JsonObject { ["events"] = new JsonArray(), ["searchedLogStreams"] = new JsonArray(), ["nextToken"] = MakeToken(query, offset) });
        }
        var page = matching.Skip(offset).Take(limit).ToList();
        var events = new JsonArray();
        foreach (var e in page)
        {
            events.Add(new JsonObject
            {
                ["logStreamName"] = e.Stream,
                ["timestamp"] = e.Timestamp,
                ["message"] = e.Message,
                ["ingestionTime"] = e.IngestionTime,
                ["eventId"] = e.EventId,
            });
        }
        var response = new JsonObject { ["events"] = events, ["searchedLogStreams"] = new JsonArray() };
        if (offset + page.Count < matching.Count)
        {
            response["nextToken"] = MakeToken(query, offset + page.Count);
        }
        return Ok(response);
    }

    private HttpResponseData DescribeServices(JsonObject body)
    {
        var cluster = ClusterName(Str(body, "cluster"));
        if (body["services"] is not JsonArray names || names.Count is 0 or > 10)
        {
            return Error(400, "InvalidParameterException", "services must contain between 1 and 10 names.");
        }
        if (!Services.TryGetValue(cluster, out var services))
        {
            return Error(400, "ClusterNotFoundException", "Cluster not found.");
        }
        var found = new List<string>();
        var failures = new JsonArray();
        foreach (var n in names.Select(x => x!.GetValue<string>()))
        {
            var name = n[(n.LastIndexOf('/') + 1)..];
            if (services.TryGetValue(name, out var raw))
            {
                found.Add(raw);
            }
            else
            {
                failures.Add(new JsonObject { ["arn"] = $"arn:aws:ecs:{Region}:123456789012:service/{cluster}/{name}", ["reason"] = "MISSING" });
            }
        }
        return new HttpResponseData(200, $"{{\"services\":[{string.Join(',', found)}],\"failures\":{failures.ToJsonString()}}}");
    }

    private HttpResponseData ListTasks(JsonObject body)
    {
        var cluster = ClusterName(Str(body, "cluster"));
        if (!Services.TryGetValue(cluster, out var services))
        {
            return Error(400, "ClusterNotFoundException", "Cluster not found.");
        }
        var service = Str(body, "serviceName");
        if (service is not null && !services.ContainsKey(service))
        {
            return Error(400, "ServiceNotFoundException", "Service not found.");
        }
        var max = Int(body, "maxResults") ?? 100;
        if (max is < 1 or > 100)
        {
            return Error(400, "InvalidParameterException", "maxResults must be between 1 and 100.");
        }
        var desired = Str(body, "desiredStatus") ?? "RUNNING";
        var arns = Tasks.GetValueOrDefault(cluster, []).Select(t => JsonNode.Parse(t)!.AsObject())
            .Where(t => Str(t, "desiredStatus") == desired && (service is null || ListTasksIncludesOtherServices || Str(t, "group") == "service:" + service))
            .Select(t => Str(t, "taskArn")!).ToList();
        var query = $"tasks|{cluster}|{service}|{desired}";
        var offset = 0;
        if (Str(body, "nextToken") is { } token && !TryReadToken(token, query, out offset))
        {
            return Error(400, "InvalidParameterException", "The specified nextToken is invalid.");
        }
        var response = new JsonObject { ["taskArns"] = new JsonArray([.. arns.Skip(offset).Take(Math.Min(max, 3)).Select(a => (JsonNode)JsonValue.Create(a))]) };
        if (offset + Math.Min(max, 3) < arns.Count)
        {
            // Small pages on purpose, so pagination of ListTasks is exercised.
            response["nextToken"] = MakeToken(query, offset + Math.Min(max, 3));
        }
        return Ok(response);
    }

    private HttpResponseData DescribeTasks(JsonObject body)
    {
        var cluster = ClusterName(Str(body, "cluster"));
        if (body["tasks"] is not JsonArray wanted || wanted.Count is 0 or > 100)
        {
            return Error(400, "InvalidParameterException", "tasks must contain between 1 and 100 ids.");
        }
        if (!Services.ContainsKey(cluster))
        {
            return Error(400, "ClusterNotFoundException", "Cluster not found.");
        }
        var all = Tasks.GetValueOrDefault(cluster, []);
        var found = new List<string>();
        foreach (var arn in wanted.Select(w => w!.GetValue<string>()))
        {
            var raw = all.FirstOrDefault(t => Str(JsonNode.Parse(t)!.AsObject(), "taskArn") == arn);
            if (raw is not null)
            {
                found.Add(raw);
            }
        }
        return new HttpResponseData(200, $"{{\"tasks\":[{string.Join(',', found)}],\"failures\":[]}}");
    }

    private HttpResponseData? CheckSignature(HttpRequestData request, string target)
    {
        var auth = request.Header("Authorization");
        if (auth is null || !auth.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return Error(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        var fields = auth["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
        {
            return Error(400, "IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature.");
        }
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return Error(400, "IncompleteSignatureException", "Malformed credential scope.");
        }
        var (key, date, region, service) = (scope[0], scope[1], scope[2], scope[3]);
        if (!Keys.TryGetValue(key, out var secret))
        {
            return Error(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (ExpiredKeys.ContainsKey(key))
        {
            return Error(400, "ExpiredTokenException", "The security token included in the request is expired");
        }
        var expectedService = target.StartsWith("Logs_", StringComparison.Ordinal) ? "logs" : "ecs";
        if (service != expectedService || region != Region)
        {
            return Error(400, "InvalidSignatureException", $"Credential should be scoped to a valid region and service '{expectedService}'.");
        }
        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date") || !names.Contains("content-type") || !names.Contains("x-amz-target"))
        {
            return Error(400, "InvalidSignatureException", "host, x-amz-date, content-type and x-amz-target must be signed.");
        }
        var canonical = string.Join('\n',
            request.Method, request.Path, "",
            string.Concat(names.Select(n => $"{n}:{request.Header(n)?.Trim()}\n")),
            signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(request.Body)));
        var amzDate = request.Header("X-Amz-Date") ?? "";
        var toSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, $"{date}/{region}/{service}/aws4_request",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        var k = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(region));
        k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(service));
        k = HMACSHA256.HashData(k, "aws4_request"u8.ToArray());
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(toSign)));
        return expected == signature ? null
            : Error(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
    }

    private static string? AccessKeyOf(HttpRequestData request)
    {
        var auth = request.Header("Authorization");
        var i = auth?.IndexOf("Credential=", StringComparison.Ordinal) ?? -1;
        return i < 0 ? null : auth![(i + "Credential=".Length)..].Split('/')[0];
    }

    private bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }
        lock (_randomGate)
        {
            return _random.NextDouble() < rate;
        }
    }

    private static string ClusterName(string? cluster) => cluster is null ? "default" : cluster[(cluster.LastIndexOf('/') + 1)..];

    private static string MakeToken(string query, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{offset}|{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16]}|{Guid.NewGuid():N}"));

    private static bool TryReadToken(string token, string query, out int offset)
    {
        offset = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            return parts.Length == 4 && parts[0] == "v1"
                && parts[2] == Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16]
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    private static int? Int(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    /// <summary>
    /// Where the ECS agent serves a task's role credentials: point AWS_CONTAINER_CREDENTIALS_FULL_URI at
    /// <see cref="Endpoint"/> plus this path and the AWS SDK's default chain signs with this server's keys.
    /// </summary>
    public const string ContainerCredentialsPath = "/container-credentials";

    private static HttpResponseData ContainerCredentials() => new(200, new JsonObject
    {
        ["RoleArn"] = "arn:aws:iam::123456789012:role/hokusai-api-task",
        ["AccessKeyId"] = AccessKey,
        ["SecretAccessKey"] = SecretKey,
        ["Token"] = "IQoJb3JpZ2luX2VjEXAMPLETASKROLETOKEN",
        ["Expiration"] = DateTimeOffset.UtcNow.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    }.ToJsonString(), "application/json");

    private static HttpResponseData Ok(JsonObject body) => new(200, body.ToJsonString());

    private static HttpResponseData Error(int status, string type, string message) =>
        new(status, new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString());

    public ValueTask DisposeAsync() => _http.DisposeAsync();
}
