using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Redaction;

/// <summary>
/// Removes secrets from text before it is stored. The store calls it on every write, so every input
/// path (CLI, import, AWS pulls, case files) is covered by this one place.
/// </summary>
public sealed partial class Redactor
{
    public const string Mark = "[REDACTED]";

    private readonly IReadOnlyList<Regex> _extra;

    public Redactor(IEnumerable<string>? extraPatterns = null)
    {
        var patterns = (extraPatterns ?? []).ToList();
        ExtraPatterns = patterns;
        _extra = patterns.Select(p => Compile(p)).ToList();
    }

    public static Redactor Default { get; } = new();

    public IReadOnlyList<string> ExtraPatterns { get; }

    /// <summary>Checks a user-supplied pattern and returns it compiled, or names what is wrong with it.</summary>
    public static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"invalid redaction pattern '{pattern}': {e.Message}");
        }
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var result = text;
        // Cheap gate: almost every log line has none of the trigger characters or words, and a
        // single scan is far cheaper than running every pattern.
        if (MayHoldSecret(result))
        {
            result = KeyedSecret().Replace(result, m => m.Groups["pre"].Value + Mark);
            result = UrlPassword().Replace(result, m => m.Groups["pre"].Value + Mark + "@");
            result = BearerToken().Replace(result, m => m.Groups["pre"].Value + Mark);
            result = PrefixedToken().Replace(result, $"{Mark}");
            result = AwsAccessKeyId().Replace(result, Mark);
            result = AwsSecretKey().Replace(result, Mark);
            result = Jwt().Replace(result, Mark);
            result = PrivateKey().Replace(result, Mark);
        }
        foreach (var pattern in _extra)
        {
            result = pattern.Replace(result, Mark);
        }
        return result;
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>Redacts every string anywhere in the record, including fields added later to the model.</summary>
    public T RedactRecord<T>(T value)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(value, IncidentJson.Compact);
        if (node is null || !RedactNode(node))
        {
            return value;
        }
        return System.Text.Json.JsonSerializer.Deserialize<T>(node, IncidentJson.Compact)!;
    }

    public Evidence RedactEvidence(Evidence evidence)
    {
        var content = Redact(evidence.Content);
        var title = RedactOrNull(evidence.Title);
        var source = RedactOrNull(evidence.Source);
        Dictionary<string, string>? attributes = null;
        foreach (var (k, v) in evidence.Attributes)
        {
            var r = Redact(v);
            if (!ReferenceEquals(r, v) && r != v)
            {
                attributes ??= new Dictionary<string, string>(evidence.Attributes);
                attributes[k] = r;
            }
        }
        if (ReferenceEquals(content, evidence.Content) && ReferenceEquals(title, evidence.Title)
            && ReferenceEquals(source, evidence.Source) && attributes is null)
        {
            return evidence;
        }
        return evidence with { Content = content, Title = title, Source = source, Attributes = attributes ?? evidence.Attributes };
    }

    private bool RedactNode(JsonNode node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var r = Redact(s);
                        if (r != s)
                        {
                            obj[key] = r;
                            changed = true;
                        }
                    }
                    else if (child is not null)
                    {
                        changed |= RedactNode(child);
                    }
                }
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    if (arr[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var r = Redact(s);
                        if (r != s)
                        {
                            arr[i] = r;
                            changed = true;
                        }
                    }
                    else if (arr[i] is { } child)
                    {
                        changed |= RedactNode(child);
                    }
                }
                break;
        }
        return changed;
    }

    private static bool MayHoldSecret(string text) => Trigger().IsMatch(text);

    // Anything that could start one of the patterns below; keep in step with them.
    [GeneratedRegex(@"[=:@_]|bearer|AKIA|ASIA|eyJ|-----BEGIN|[A-Za-z0-9/+]{40}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Trigger();

    // password=…, secret: …, api_key=…, token=… in configs, connection strings, query strings and logs.
    [GeneratedRegex(@"(?<pre>\b(?:[A-Za-z0-9_\-]*(?:password|passwd|pwd|secret|api[_\-]?key|access[_\-]?token|auth[_\-]?token|client[_\-]?secret|private[_\-]?key)[A-Za-z0-9_\-]*|token)[""']?\s*[=:]\s*[""']?)(?![\[\s]|REDACTED)[^\s""';&,}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyedSecret();

    // scheme://user:password@host
    [GeneratedRegex(@"(?<pre>\b[a-z][a-z0-9+.\-]*://[^\s:/@]+:)(?!\[REDACTED\])[^\s/@]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<pre>\b(?:bearer|basic)\s+)(?!\[REDACTED\])[A-Za-z0-9\-._~+/]{8,}=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    // Vendor API keys with a recognisable prefix: hk_live_/hk_test_ (ours), sk_live_, GitHub, Slack.
    [GeneratedRegex(@"\b(?:(?:hk|sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9\-]{10,})", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixedToken();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    // A 40-character secret access key. Requiring upper, lower and a digit or / + keeps 40-hex git
    // commit ids (lower-case only) out.
    [GeneratedRegex(@"(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", RegexOptions.CultureInvariant)]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();
}
