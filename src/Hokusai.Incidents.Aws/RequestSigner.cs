using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Hokusai.Incidents.Aws;

/// <summary>
/// Signature Version 4 for a JSON 1.1 POST. We build the canonical request (we know exactly which
/// headers are sent) and let AWSSDK.Core derive the key and compute the signature.
/// </summary>
public static class RequestSigner
{
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>The headers to send, Authorization included, for a POST of <paramref name="body"/> to <paramref name="endpoint"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(
        ImmutableCredentials credentials, string region, string signingName, Uri endpoint, string target, byte[] body, DateTime signedAtUtc)
    {
        var amzDate = signedAtUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ContentType,
            ["host"] = HostHeader(endpoint),
            ["x-amz-date"] = amzDate,
            ["x-amz-target"] = target,
        };
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            headers["x-amz-security-token"] = credentials.Token;
        }
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = string.Join('\n',
            "POST",
            CanonicalPath(endpoint),
            "",
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(body)));
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAtUtc, signingName, signedHeaders, canonical);
        var list = new List<KeyValuePair<string, string>>
        {
            new("X-Amz-Date", amzDate),
            new("X-Amz-Target", target),
            new("Authorization", result.ForAuthorizationHeader),
        };
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            list.Add(new("X-Amz-Security-Token", credentials.Token));
        }
        return list;
    }

    /// <summary>Host as HttpClient sends it: the port only when it is not the scheme's default.</summary>
    public static string HostHeader(Uri endpoint) => endpoint.IsDefaultPort ? endpoint.IdnHost : $"{endpoint.IdnHost}:{endpoint.Port}";

    public static string CanonicalPath(Uri endpoint) => string.IsNullOrEmpty(endpoint.AbsolutePath) ? "/" : endpoint.AbsolutePath;
}
