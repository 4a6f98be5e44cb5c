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
        // Each pattern runs only when a cheap scan of the current text finds what any match of it must
        // contain; a skipped pattern could not have matched, so the result equals running them all.
        // Most log lines trigger none, and the regexes (above all the 40-character key) are the cost.
        if (ContainsAny(result, KeyedWords))
        {
            result = KeyedSecret().Replace(result, m => m.Groups["pre"].Value + Mark);
        }
        if (result.Contains("://", StringComparison.Ordinal))
        {
            result = UrlPassword().Replace(result, m => m.Groups["pre"].Value + Mark + "@");
        }
        if (ContainsAny(result, BearerWords))
        {
            result = BearerToken().Replace(result, m => m.Groups["pre"].Value + Mark);
        }
        if (ContainsAny(result, TokenPrefixes))
        {
            result = PrefixedToken().Replace(result, $"{Mark}");
        }
        if (ContainsAny(result, AccessKeyPrefixes))
        {
            result = AwsAccessKeyId().Replace(result, Mark);
        }
        if (HasRunOf40(result))
        {
            result = AwsSecretKey().Replace(result, Mark);
        }
        if (result.Contains("eyJ", StringComparison.Ordinal))
        {
            result = Jwt().Replace(result, Mark);
        }
        if (result.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            result = PrivateKey().Replace(result, Mark);
        }
        foreach (var pattern in _extra)
        {
            result = pattern.Replace(result, Mark);
        }
        return result;
    }

    /// <summary>
    /// Every pattern on every text, without the pre-checks of <see cref="Redact"/>: the reference those
    /// pre-checks are verified against. Slow; not for stored data paths.
    /// </summary>
    public string RedactUngated(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var result = KeyedSecret().Replace(text, m => m.Groups["pre"].Value + Mark);
        result = UrlPassword().Replace(result, m => m.Groups["pre"].Value + Mark + "@");
        result = BearerToken().Replace(result, m => m.Groups["pre"].Value + Mark);
        result = PrefixedToken().Replace(result, $"{Mark}");
        result = AwsAccessKeyId().Replace(result, Mark);
        result = AwsSecretKey().Replace(result, Mark);
        result = Jwt().Replace(result, Mark);
        result = PrivateKey().Replace(result, Mark);
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

    // What a match of each pattern must contain (case-insensitive where the pattern is).
    private static readonly string[] KeyedWords = ["password", "passwd", "pwd", "secret", "key", "token"];
    private static readonly string[] BearerWords = ["bearer", "basic"];
    private static readonly string[] TokenPrefixes = ["_live_", "_test_", "gh", "xox"];
    private static readonly string[] AccessKeyPrefixes = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"];

    private static bool ContainsAny(string text, string[] words)
    {
        // Regex case-folding also pairs some non-ASCII letters with ASCII ones (the Kelvin sign with k);
        // ordinal ignore-case does not, so non-ASCII text always runs the pattern.
        if (!System.Text.Ascii.IsValid(text))
        {
            return true;
        }
        foreach (var w in words)
        {
            if (text.Contains(w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// True when the text has a run of exactly 40 characters of [A-Za-z0-9/+] holding an upper-case
    /// letter, a lower-case letter and a digit, / or +: the only runs the secret-key pattern can match.
    /// CloudWatch event ids (56 digits) and hex digests fail here and skip the costly regex.
    /// </summary>
    private static bool HasRunOf40(string text)
    {
        if (text.Length < 40)
        {
            return false;
        }
        int run = 0;
        bool upper = false, lower = false, other = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (char.IsAsciiDigit(c) || c is '/' or '+')
            {
                other = true;
            }
            else
            {
                if (run == 40 && upper && lower && other)
                {
                    return true;
                }
                run = 0;
                upper = lower = other = false;
                continue;
            }
            run++;
        }
        return false;
    }

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
