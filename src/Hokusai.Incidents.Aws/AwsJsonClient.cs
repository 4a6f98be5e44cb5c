using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hokusai.Incidents.Aws;

/// <summary>The two services we speak to, as the JSON 1.1 protocol names them.</summary>
public sealed record AwsService(string EndpointPrefix, string SigningName, string TargetPrefix, string DisplayName)
{
    public static readonly AwsService CloudWatchLogs = new("logs", "logs", "Logs_20140328", "CloudWatch Logs");
    public static readonly AwsService Ecs = new("ecs", "ecs", "AmazonEC2ContainerServiceV20141113", "ECS");
}

/// <summary>A request failed and will be tried again after <paramref name="Delay"/>.</summary>
public sealed record RetryWait(string Service, string Operation, string Code, bool IsThrottle, TimeSpan Delay, TimeSpan FailingFor, int Attempts);

/// <summary>Counters a pull reports: how hard the service pushed back.</summary>
public sealed class RequestStats
{
    private long _requests;
    private long _throttles;
    private long _retries;

    public long Requests => Interlocked.Read(ref _requests);
    public long Throttles => Interlocked.Read(ref _throttles);
    public long Retries => Interlocked.Read(ref _retries);

    internal void Request() => Interlocked.Increment(ref _requests);
    internal void Throttle() => Interlocked.Increment(ref _throttles);
    internal void Retry() => Interlocked.Increment(ref _retries);
}

/// <summary>
/// POSTs signed JSON 1.1 requests and returns the parsed response. Throttles are retried with jittered
/// exponential backoff until the deadline; 5xx, resets and truncated bodies a bounded number of times;
/// any other AWS error becomes an <see cref="AwsException"/> carrying the AWS error code.
/// </summary>
public sealed class AwsJsonClient
{
    // Error codes AWS SDKs treat as throttling.
    private static readonly HashSet<string> ThrottleCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "ServiceUnavailable", "ServiceUnavailableException",
    };

    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.All,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly AwsAccount _account;
    private readonly AwsSettings _settings;
    private readonly HttpClient _http;
    private readonly RequestBudget _budget;

    public AwsJsonClient(AwsAccount account, AwsSettings settings, HttpClient? http = null)
    {
        _account = account;
        _settings = settings;
        _http = http ?? SharedHttp;
        _budget = RequestBudget.For(account.BudgetKey, settings.RequestsPerSecond);
    }

    public RequestStats Stats { get; } = new();

    public AwsAccount Account => _account;

    /// <summary>Told before each wait for a retry, so a terminal can show why nothing moves.</summary>
    public IProgress<RetryWait>? RetryWaits { get; set; }

    public async Task<JsonDocument> SendAsync(AwsService service, string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(request.ToJsonString());
        var endpoint = _account.EndpointFor(service.EndpointPrefix);
        var target = $"{service.TargetPrefix}.{operation}";
        var transientFailures = 0;
        // The deadline runs from the first failure of this request: a pull that makes progress, however
        // slowly, goes on, while one that gets nothing through for MaxWait stops.
        long? failingSince = null;
        Failure? last = null;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (failingSince is { } since)
            {
                // A budget slowed by throttles can make the next try wait seconds; that wait counts too.
                using var budgetWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                budgetWait.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (_settings.MaxWait - Stopwatch.GetElapsedTime(since)).Ticks)));
                try
                {
                    await _budget.AcquireAsync(budgetWait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw GiveUp(service, operation, last!, Stopwatch.GetElapsedTime(since), attempt);
                }
            }
            else
            {
                await _budget.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            Stats.Request();
            // A request that hangs until its timeout has been failing since it was sent.
            var sent = Stopwatch.GetTimestamp();
            Failure failure;
            try
            {
                var response = await AttemptAsync(service, endpoint, target, body, cancellationToken).ConfigureAwait(false);
                _budget.Succeeded();
                return response;
            }
            catch (RetryableException e)
            {
                failure = e.Failure;
            }
            failingSince ??= sent;
            last = failure;
            if (failure.IsThrottle)
            {
                Stats.Throttle();
                _budget.Throttled();
            }
            else if (++transientFailures >= _settings.Retry.MaxTransientAttempts)
            {
                throw new AwsException($"{failure.Code}: {service.DisplayName} {operation} kept failing ({failure.Detail})", failure.Code, failure.Status);
            }
            var failingFor = Stopwatch.GetElapsedTime(failingSince.Value);
            var delay = Backoff(attempt);
            if (failingFor + delay > _settings.MaxWait)
            {
                throw GiveUp(service, operation, failure, failingFor, attempt + 1);
            }
            Stats.Retry();
            RetryWaits?.Report(new RetryWait(service.DisplayName, operation, failure.Code, failure.IsThrottle, delay, failingFor, attempt + 1));
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private AwsException GiveUp(AwsService service, string operation, Failure failure, TimeSpan failingFor, int attempts) => new(
        $"{failure.Code}: {service.DisplayName} {operation} {(failure.IsThrottle ? "throttled" : "failing")} for {Duration(failingFor)} " +
        $"over {attempts} attempt(s), giving up at --max-wait {Duration(_settings.MaxWait)} ({failure.Detail}); " +
        "what was stored is kept and running the same command again resumes",
        failure.Code, failure.Status)
    {
        GaveUpAfter = failingFor,
    };

    /// <summary>A span as people say it: 850 ms, 8 s, 2 min 5 s.</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms")
        : span.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s")
        : span.Seconds == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s");

    private TimeSpan Backoff(int attempt)
    {
        // Full jitter: spreads retries of many clients over the whole window instead of in waves.
        var ceiling = Math.Min(_settings.Retry.MaxDelay.TotalMilliseconds, _settings.Retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private async Task<JsonDocument> AttemptAsync(AwsService service, Uri endpoint, string target, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Retry.RequestTimeout);
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(RequestSigner.ContentType);
        foreach (var (name, value) in RequestSigner.Sign(_account.Credentials, _account.Region, service.SigningName, endpoint, target, body, DateTime.UtcNow))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        HttpResponseMessage response;
        byte[] payload;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            using (response)
            {
                payload = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                return Interpret(response, payload);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RetryableException(new Failure("RequestTimeout", 0, false, $"no answer within {_settings.Retry.RequestTimeout.TotalSeconds:0} s"));
        }
        catch (HttpRequestException e)
        {
            // Connection resets, refused connections and bodies cut short all land here.
            throw new RetryableException(new Failure("NetworkError", 0, false, AwsCredentialResolver.OneLine(e.Message)));
        }
        catch (IOException e)
        {
            throw new RetryableException(new Failure("NetworkError", 0, false, AwsCredentialResolver.OneLine(e.Message)));
        }
    }

    private static JsonDocument Interpret(HttpResponseMessage response, byte[] payload)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return JsonDocument.Parse(payload.Length == 0 ? "{}"u8.ToArray() : payload);
            }
            catch (JsonException e)
            {
                // A body cut short without a length mismatch (chunked) shows up as broken JSON.
                throw new RetryableException(new Failure("TruncatedResponse", status, false, AwsCredentialResolver.OneLine(e.Message)));
            }
        }
        var (code, text) = ErrorOf(response, payload);
        if (ThrottleCodes.Contains(code) || status == 429)
        {
            throw new RetryableException(new Failure(code, status, true, text));
        }
        if (status >= 500)
        {
            throw new RetryableException(new Failure(code, status, false, text));
        }
        throw new AwsException($"{code}: {text}", code, status);
    }

    /// <summary>The error code from <c>__type</c> (or the x-amzn-ErrorType header) without its namespace, and the message.</summary>
    internal static (string Code, string Message) ErrorOf(HttpResponseMessage response, byte[] payload)
    {
        string? type = null;
        string? text = null;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }
                    if (p.NameEquals("__type") || p.NameEquals("code"))
                    {
                        type ??= p.Value.GetString();
                    }
                    else if (p.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                    {
                        text ??= p.Value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
        }
        if (type is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var values))
        {
            type = values.FirstOrDefault();
        }
        type ??= response.StatusCode switch
        {
            HttpStatusCode.Forbidden => "AccessDenied",
            HttpStatusCode.NotFound => "NotFound",
            _ => $"HTTP{(int)response.StatusCode}",
        };
        var code = type.Split(':')[0];
        code = code[(code.LastIndexOf('#') + 1)..];
        return (code, AwsCredentialResolver.OneLine(text ?? response.ReasonPhrase ?? "no message"));
    }

    private sealed record Failure(string Code, int Status, bool IsThrottle, string Detail);

    private sealed class RetryableException(Failure failure) : Exception(failure.Detail)
    {
        public Failure Failure { get; } = failure;
    }

}
