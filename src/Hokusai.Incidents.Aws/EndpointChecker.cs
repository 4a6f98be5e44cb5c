using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Hokusai.Incidents.Aws;

/// <summary>The outcome of one probe, as the seeds record curl runs by hand.</summary>
public sealed record EndpointCheckResult(
    string Url, DateTimeOffset At, int? StatusCode, string? Reason, TimeSpan Latency, string Outcome, string? Error, TimeSpan Timeout, int? Expected)
{
    public bool AsExpected => Outcome == EndpointOutcomes.Ok;

    public string Summary => StatusCode is { } code
        ? string.Create(CultureInfo.InvariantCulture, $"GET {Url} -> {code} {Reason} in {Latency.TotalMilliseconds:0} ms{(AsExpected ? "" : $" (expected {Expected})")}")
        : string.Create(CultureInfo.InvariantCulture, $"GET {Url} -> {Outcome}: {Error} after {Latency.TotalMilliseconds:0} ms");

    public Evidence ToEvidence(string incidentId, IReadOnlyList<string> supports)
    {
        var attrs = new Dictionary<string, string>
        {
            [EvidenceAttributes.Url] = Url,
            [EvidenceAttributes.LatencyMs] = Latency.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture),
            [EvidenceAttributes.Outcome] = Outcome,
            [EvidenceAttributes.TimeoutSeconds] = Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        };
        if (StatusCode is { } code)
        {
            attrs[EvidenceAttributes.StatusCode] = code.ToString(CultureInfo.InvariantCulture);
        }
        if (Error is not null)
        {
            attrs[EvidenceAttributes.Error] = Error;
        }
        return new Evidence
        {
            IncidentId = incidentId,
            Kind = EvidenceKind.EndpointCheck,
            Source = Url,
            Time = At,
            Title = $"GET {Url}",
            Content = Summary,
            Language = "text",
            Supports = supports,
            Attributes = attrs,
        };
    }
}

/// <summary>GET probes with a time-out; redirects are reported, not followed, like plain curl.</summary>
public sealed class EndpointChecker(TimeProvider clock, HttpMessageHandler? handler = null)
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public static Uri ParseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidInputException($"invalid URL '{url}': expected http:// or https://");

    public async Task<EndpointCheckResult> CheckAsync(string url, TimeSpan timeout, int? expect, CancellationToken cancellationToken)
    {
        var uri = ParseUrl(url);
        var at = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.UserAgent.ParseAdd("hokusai-incidents-check/1");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            // Latency to the status line and headers, as curl's time_starttransfer.
            var latency = watch.Elapsed;
            var code = (int)response.StatusCode;
            var ok = expect is { } e ? code == e : code is >= 200 and < 400;
            return new EndpointCheckResult(url, at, code, response.ReasonPhrase, latency, ok ? EndpointOutcomes.Ok : EndpointOutcomes.UnexpectedStatus, null, timeout, expect);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EndpointCheckResult(url, at, null, null, watch.Elapsed, EndpointOutcomes.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"no response within {timeout.TotalSeconds:0.###} s"), timeout, expect);
        }
        catch (HttpRequestException e)
        {
            var (outcome, error) = Classify(e);
            return new EndpointCheckResult(url, at, null, null, watch.Elapsed, outcome, error, timeout, expect);
        }
    }

    private static (string Outcome, string Error) Classify(HttpRequestException e)
    {
        var socket = FindInner<SocketException>(e);
        if (socket?.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return (EndpointOutcomes.ConnectionRefused, "connection refused");
        }
        if (socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData || e.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return (EndpointOutcomes.DnsError, AwsCredentialResolver.OneLine(e.Message));
        }
        if (FindInner<AuthenticationException>(e) is { } tls || e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            return (EndpointOutcomes.TlsError, AwsCredentialResolver.OneLine((FindInner<AuthenticationException>(e)?.Message) ?? e.Message));
        }
        return (EndpointOutcomes.ConnectionError, AwsCredentialResolver.OneLine(e.Message));
    }

    private static T? FindInner<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T t)
            {
                return t;
            }
        }
        return null;
    }
}
