using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Redaction;

/// <summary>
/// Removes secrets from text before it is stored. The store calls it on every write, so every input
/// path (CLI, import, AWS pulls, case files) is covered by this one place; importers also call it on
/// raw input before they clean anything up, so no normalisation can break a secret's shape first.
/// </summary>
/// <remarks>
/// The built-in patterns are source-generated (nothing to build at start-up) and written so that each
/// runs in time linear in the text; only the patterns a user adds are built at run time, with a time limit.
/// </remarks>
public sealed partial class Redactor
{
    public const string Mark = "[REDACTED]";

    /// <summary>How long a user-added pattern may take on one text before the write is refused.</summary>
    public static readonly TimeSpan ExtraPatternTimeout = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<Regex> _extra;

    public Redactor(IEnumerable<string>? extraPatterns = null)
    {
        var patterns = (extraPatterns ?? []).ToList();
        ExtraPatterns = patterns;
        _extra = patterns.Select(p => Compile(p)).ToList();
    }

    public static Redactor Default { get; } = new();

    public IReadOnlyList<string> ExtraPatterns { get; }

    /// <summary>Checks a user-supplied pattern's syntax and returns it built (interpreted, with a time limit), or names what is wrong with it.</summary>
    public static Regex Compile(string pattern)
    {
        try
        {
            // Not RegexOptions.Compiled: compiling costs far more at start-up than it saves on a few writes.
            return new Regex(pattern, RegexOptions.CultureInvariant, ExtraPatternTimeout);
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"invalid redaction pattern '{pattern}': {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>
    /// What <c>redaction add</c> runs before storing a pattern: its syntax, then a trial on
    /// <see cref="PatternTrialText"/> (log lines plus the long runs that make backtracking explode).
    /// A pattern that times out there, or matches empty text, would break or flood every later write.
    /// </summary>
    public static Regex CheckNewPattern(string pattern)
    {
        var regex = Compile(pattern);
        try
        {
            if (regex.Match("").Success)
            {
                throw new InvalidInputException($"redaction pattern '{pattern}' matches empty text; it would put {Mark} between every character");
            }
            foreach (var line in PatternTrialText)
            {
                for (var m = regex.Match(line); m.Success; m = m.NextMatch())
                {
                    if (m.Length == 0)
                    {
                        throw new InvalidInputException($"redaction pattern '{pattern}' matches empty text; it would put {Mark} between every character");
                    }
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            throw new InvalidInputException(
                $"redaction pattern '{pattern}' took over {ExtraPatternTimeout.TotalSeconds:0.#} s on a sample line (catastrophic backtracking); not added");
        }
        return regex;
    }

    /// <summary>Sample lines a new pattern must get through in time: ordinary log text and long runs of one character class.</summary>
    public static IReadOnlyList<string> PatternTrialText => TrialText.Value;

    private static readonly Lazy<string[]> TrialText = new(BuildTrialText);

    private static string[] BuildTrialText()
    {
        var lines = new List<string>
        {
            "2025-08-18T09:25:13.412Z ERROR [main] hokusai.api: SyntaxError: '(' was never closed (app.py, line 42)",
            "GET /api/mlflow/health HTTP/1.1 504 Gateway Timeout upstream=10.0.3.219:5000 request_id=7f3c2a9e-1b4d-4e8f-9a6b-2c1d3e4f5a6b",
            "service hokusai-api-development has reached a steady state. (deployment ecs-svc/1234567890123456789)",
            "Authorization header missing; user=dana@example.com path=/api/2.0/mlflow/experiments/get-by-name?experiment_name=default",
            "{\"level\":\"warn\",\"msg\":\"retrying\",\"attempt\":3,\"delay_ms\":1200,\"url\":\"https://registry.hokus.ai/v2/\"}",
            "    at Hokusai.Api.Startup.Configure(IApplicationBuilder app) in /src/Startup.cs:line 88",
        };
        // Nested and overlapping quantifiers explode on a long run of what they repeat that ends in a
        // character they do not expect; one run per common class catches the usual shapes.
        foreach (var run in new[] { "a", "x", "A", "0", "1", " ", "\t", "-", ".", "_", "/", "ab", "a1", "a ", "=", "\"", "'" })
        {
            var body = string.Concat(Enumerable.Repeat(run, 48 / run.Length));
            lines.Add(body + "!");
            lines.Add(body + "\n" + body + "#");
        }
        return [.. lines];
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var result = text;
        // Each rule runs only when a cheap scan of the current text finds what any match of it must
        // contain; a skipped rule could not have matched, so the result equals running them all.
        // Most log lines trigger none, and the regexes are the cost.
        foreach (var rule in BuiltInRules.All)
        {
            if (rule.MayMatch(result))
            {
                result = rule.Apply(result);
            }
        }
        return RedactExtra(result);
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
        var result = text;
        foreach (var rule in BuiltInRules.All)
        {
            result = rule.Apply(result);
        }
        return RedactExtra(result);
    }

    private string RedactExtra(string text)
    {
        var result = text;
        foreach (var pattern in _extra)
        {
            try
            {
                result = pattern.Replace(result, Mark);
            }
            catch (RegexMatchTimeoutException)
            {
                // Storing the text unredacted is not an option; refusing every write without a way out
                // is not either, so the message names the way out.
                throw new InvalidInputException(
                    $"redaction pattern '{pattern}' took over {ExtraPatternTimeout.TotalSeconds:0.#} s on this text, so nothing was stored; " +
                    $"remove it with: incidents redaction remove '{pattern}'");
            }
        }
        return result;
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>Redacts every string anywhere in the record, including fields added later to the model.</summary>
    public T RedactRecord<T>(T value)
    {
        // Most records hold no secret: reading the serialized strings once is far cheaper than building
        // the node tree, which is only needed to rewrite one.
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, IncidentJson.Compact.TypeInfo<T>());
        if (!HoldsSecret(bytes))
        {
            return value;
        }
        var node = System.Text.Json.Nodes.JsonNode.Parse(bytes);
        if (node is null || !RedactNode(node))
        {
            return value;
        }
        return System.Text.Json.JsonSerializer.Deserialize(node, IncidentJson.Compact.TypeInfo<T>())!;
    }

    /// <summary>Whether any string value (not a property name, as <see cref="RedactNode"/>) of the JSON would be redacted.</summary>
    private bool HoldsSecret(byte[] json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == System.Text.Json.JsonTokenType.String)
            {
                var s = reader.GetString()!;
                if (Redact(s) != s)
                {
                    return true;
                }
            }
        }
        return false;
    }

    public Evidence RedactEvidence(Evidence evidence)
    {
        var content = Redact(evidence.Content);
        var title = RedactOrNull(evidence.Title);
        var source = RedactOrNull(evidence.Source);
        var language = RedactOrNull(evidence.Language);
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
            && ReferenceEquals(source, evidence.Source) && ReferenceEquals(language, evidence.Language) && attributes is null)
        {
            return evidence;
        }
        return evidence with { Content = content, Title = title, Source = source, Language = language, Attributes = attributes ?? evidence.Attributes };
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

    /// <summary>One built-in pattern: a cheap test that must pass for any match to exist, and the rewrite.</summary>
    private sealed record Rule(Func<string, bool> MayMatch, Func<string, string> Apply);

    private static string Keep(Match m, string group) => m.Groups[group].Value;

    /// <summary>A quoted value keeps its quotes, so the surrounding syntax (JSON, a shell line) stays intact.</summary>
    private static string QuotedMark(string value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[0] + Mark + value[0] : Mark;

    /// <summary>
    /// Both keyed patterns match within one line, and their lazy name prefix costs a step per letter
    /// of the text: only lines holding a key word and a separator are given to them (a whole document
    /// that mentions "tokens" once spent a millisecond here).
    /// </summary>
    private static string RedactKeyed(string text)
    {
        StringBuilder? result = null;
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            // The line keeps its line break, so "end of line" in the patterns reads as in the whole text.
            var span = text.AsSpan(start, end - start);
            if (span.ContainsAny('=', ':') && ContainsAny(span, BuiltInRules.KeyWords))
            {
                var line = span.ToString();
                var redacted = RedactKeyedLine(line);
                if (redacted != line)
                {
                    result ??= new StringBuilder(text.Length + 32).Append(text, 0, start);
                    result.Append(redacted);
                    start = end;
                    continue;
                }
            }
            result?.Append(span);
            start = end;
        }
        return result?.ToString() ?? text;
    }

    private static string RedactKeyedLine(string line)
    {
        var result = KeyedSecret().Replace(line, m => KeyedReplacement(m, line));
        return MarkdownLabelledSecret().Replace(result, m =>
            m.Groups["code"].Success ? Keep(m, "pre") + "`" + Mark + "`"
            : m.Groups["bold"].Success ? Keep(m, "pre") + Mark
            : m.Value);
    }

    private static readonly string[] NotSecretWords = ["true", "false", "null", "none", "nil", "yes", "no", "on", "off", "empty", "undefined"];

    private static string KeyedReplacement(Match m, string text)
    {
        if (m.Groups["q"].Success)
        {
            var q = m.Groups["q"].Value;
            return Keep(m, "pre") + q + Mark + q;
        }
        var value = m.Groups["v"].Value;
        if (NotSecretWords.Contains(value, StringComparer.OrdinalIgnoreCase) || InsideArn(text, m.Index))
        {
            return m.Value;
        }
        // "Reset your password: open the link…": after a colon and a space, a lower-case word followed
        // by more lower-case words is prose, not a value. A value with a digit or symbol never is.
        var end = m.Index + m.Length;
        if (m.Groups["sep"].Value.StartsWith(':') && m.Groups["gap"].Length > 0 && value.All(char.IsAsciiLetterLower)
            && end + 1 < text.Length && text[end] == ' ' && char.IsAsciiLetterLower(text[end + 1]))
        {
            return m.Value;
        }
        return Keep(m, "pre") + Mark;
    }

    /// <summary>arn:aws:secretsmanager:…:secret:prod/db names a secret; it does not hold one.</summary>
    private static bool InsideArn(string text, int index)
    {
        var start = text.LastIndexOfAny([' ', '\t', '\n', '\r', '"', '\''], Math.Max(index - 1, 0)) + 1;
        return text.AsSpan(start, index - start).StartsWith("arn:", StringComparison.Ordinal);
    }

    /// <summary>
    /// Basic credentials are base64 of <c>user:password</c>; other schemes' tokens are long random
    /// strings. "basic protective mechanisms" or "bearer instruments" are neither.
    /// </summary>
    private static string RedactSchemeCredential(Match m)
    {
        var value = m.Groups["v"].Value;
        var scheme = m.Groups["scheme"].Value;
        var secret = scheme.Equals("basic", StringComparison.OrdinalIgnoreCase)
            ? IsBasicCredential(value) || LooksGenerated(value)
            : LooksGenerated(value);
        return secret ? Keep(m, "pre") + Mark : m.Value;
    }

    private static bool IsBasicCredential(string value)
    {
        var bytes = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, bytes, out var written))
        {
            return false;
        }
        try
        {
            var decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
            return decoded.Contains(':') && !decoded.Any(char.IsControl);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A digit, or capitals after the first letter, or length no word has: what a random token looks like and prose does not.</summary>
    private static bool LooksGenerated(string value)
    {
        var core = value.TrimEnd('.', '=');
        return core.Any(char.IsAsciiDigit) || core.Skip(1).Any(char.IsAsciiLetterUpper) || core.Length >= 24;
    }

    /// <summary>
    /// The built-in rules and their gates, in a class of their own so that they are set up on the first
    /// redaction, not when a store opens: commands that only read pay nothing for them.
    /// </summary>
    private static class BuiltInRules
    {
        // What a match of each rule must contain (case-insensitive where the pattern is).
        internal static readonly SearchValues<string> KeyWords = SearchValues.Create(
            ["pass", "pwd", "secret", "key", "token", "credential"], StringComparison.OrdinalIgnoreCase);
        private static readonly SearchValues<string> CommandWords = SearchValues.Create(
            ["mysql", "mariadb", "sshpass", "curl", "pass", "token", "secret", "key"],
            StringComparison.OrdinalIgnoreCase);
        private static readonly SearchValues<string> AuthSchemeWords = SearchValues.Create(["bearer", "basic", "authorization"], StringComparison.OrdinalIgnoreCase);
        private static readonly SearchValues<string> TokenPrefixes = SearchValues.Create(
        [
            "_live_", "_test_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glcbt-",
            "xox", "xapp-", "aiza", "gocspx-", "ya29.", "npm_", "sk-", "hf_", "sg.", "whsec_", "dckr_pat_", "shpat_",
            "shpca_", "shppa_", "shpss_", "hvs.", "hvb.", "hvr.", "dapi", "pmak-", "age-secret-key-", "glsa_", "glc_", "nrak-", "pypi-",
            "lin_api_", "dp.st.", "dp.ct.", "dp.sa.", ".atlasv1.", "atatt3", "sntrys_", "sbp_", "pul-", "dt0c01.", "rubygems_", "dop_v1_",
            "doo_v1_", "dor_v1_", "key-", "iqojb3jpz2lu", "fwogzxivyxdz", "fqogzxivyxdz", "q~", ":aa", "sq0atp-", "sq0csp-", "ntn_",
        ], StringComparison.OrdinalIgnoreCase);
        private static readonly SearchValues<string> UrlPathWords = SearchValues.Create(["hooks.slack.com/", "/api/webhooks/", "sig="], StringComparison.Ordinal);
        private static readonly SearchValues<string> AccessKeyPrefixes = SearchValues.Create(
            ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA", "ABIA", "ACCA"], StringComparison.Ordinal);

        // Order matters: a private key block goes first, so a keyed rule (private_key: -----BEGIN…) cannot
        // take its first line and leave the body behind; keyed and labelled values before the shapes.
        public static readonly Rule[] All =
        [
            new(t => t.Contains("-----BEGIN", StringComparison.Ordinal), t => PrivateKey().Replace(t, Mark)),
            // Keyed values and Markdown labels need a separator; XML elements a closing tag.
            new(t => t.AsSpan().ContainsAny('=', ':') && ContainsAny(t, KeyWords), RedactKeyed),
            new(t => t.Contains("</", StringComparison.Ordinal) && ContainsAny(t, KeyWords), t => XmlSecret().Replace(t, m => Keep(m, "open") + Mark + Keep(m, "close"))),
            new(t => t.Contains('-') && ContainsAny(t, CommandWords), t => CommandLineSecret().Replace(t, m => Keep(m, "pre") + QuotedMark(m.Groups["v"].Value))),
            new(t => t.Contains("://", StringComparison.Ordinal), t => UrlPassword().Replace(t, m => Keep(m, "pre") + Mark + "@")),
            new(t => t.Contains('@') && t.Contains('/'), t => OraclePassword().Replace(t, m => Keep(m, "pre") + Mark)),
            new(t => ContainsAny(t, AuthSchemeWords), t => AuthorizationCredential().Replace(t, RedactSchemeCredential)),
            new(t => ContainsAny(t, TokenPrefixes), t => PrefixedToken().Replace(t, Mark)),
            new(t => t.AsSpan().ContainsAny(UrlPathWords), t => SecretInUrlPath().Replace(t, m => Keep(m, "pre") + Mark)),
            new(t => t.AsSpan().ContainsAny(AccessKeyPrefixes), t => AwsAccessKeyId().Replace(t, Mark)),
            new(HasRunOf40, t => AwsSecretKey().Replace(t, Mark)),
            new(t => t.Contains("eyJ", StringComparison.Ordinal), t => Jwt().Replace(t, Mark)),
        ];
    }

    private static bool ContainsAny(ReadOnlySpan<char> text, SearchValues<string> words) =>
        // Regex case-folding also pairs some non-ASCII letters with ASCII ones (the Kelvin sign with k);
        // ordinal ignore-case does not, so non-ASCII text always runs the pattern.
        !Ascii.IsValid(text) || text.ContainsAny(words);

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

    // A name that holds a secret: anything with password/secret/credential in it, the *_key and *_token
    // names that hold credentials (pagination tokens such as nextToken and AWS's secretsmanager are not).
    private const string SecretName =
        @"(?:[A-Za-z0-9_.\-]*?(?:pass(?:word|wd|phrase)|pwd|secret(?!s?manager)|credential|" +
        @"(?:api|access|account|private|secret|signing|master|encryption|client|app|shared[_.\-]?access|subscription|license)[_.\-]?key)" +
        @"(?>[A-Za-z0-9_.\-]*)" +
        @"|[A-Za-z0-9_.\-]*?(?<!(?:next|page|continuation|forward|backward|sync|start|resume|cancellation|pagination|cursor|marker)[_.\-]?)token" +
        @"|(?:[A-Za-z0-9.\-]*[_.\-])?pass)";

    // password=…, "secret": "…", api_key: …, DB_PASS=…, 'token' => '…' in configs, connection strings,
    // query strings and logs. A quoted value is taken whole (spaces and all); an unquoted one up to a
    // space or delimiter.
    [GeneratedRegex(
        @"(?<pre>(?<![A-Za-z0-9_.\-])" + SecretName + @"(?![A-Za-z0-9_.\-])[""'`]?(?>[ \t]*(?<sep>:=|=>|[=:])(?<gap>[ \t]*)))" +
        @"(?:(?<q>[""'`])(?!\[REDACTED\])(?<qv>(?:\\.|(?!\k<q>)[^\\\r\n])+)\k<q>|(?!\[REDACTED\]|\*\*|[\[{(])(?<v>[^\s""'`;&,}]+))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex KeyedSecret();

    // Markdown label and value: **Neo4j Password**: `value`, - API Key: `value`, **Secret:** value.
    // A code span after a secret label is redacted; a bare value only after a bold label, and only
    // when it is the last thing on the line (a sentence after the label is prose). A label starts at a
    // letter, so long runs of spaces or punctuation cost one step per character.
    [GeneratedRegex(
        @"(?<pre>(?<bold>\*\*)?(?<![A-Za-z0-9])(?=[A-Za-z])[A-Za-z0-9 _.\-]{0,40}?(?<![A-Za-z0-9])(?:pass(?:word|wd|phrase)|secret|token|credentials?|(?:api|access|secret|private|account)[ _\-]?key)s?" +
        @"(?:\k<bold>[ \t]*:|:\k<bold>|(?(bold)(?!)|:))[ \t]*)" +
        @"(?:`(?!\[REDACTED\])(?<code>[^`\r\n]+)`|(?(bold)(?!\[REDACTED\])[^\s`*]+(?=[ \t]*(?:\r?\n|$))|(?!)))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Multiline)]
    private static partial Regex MarkdownLabelledSecret();

    // <password>…</password>, <SessionToken>…</SessionToken> (STS XML answers, Maven settings).
    [GeneratedRegex(
        @"(?<open><(?<tag>" + SecretName + @")>)(?!\[REDACTED\])[^<\r\n]+(?<close></\k<tag>>)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex XmlSecret();

    // Secrets passed as command-line arguments: mysql -pSECRET, sshpass -p SECRET, curl -u user:SECRET,
    // --password SECRET (the --password=SECRET form is a keyed value).
    [GeneratedRegex(
        @"(?<pre>\b(?:mysql\w*|mariadb)\b[^\r\n]*?\s-p|\bsshpass\s+-p\s*|\bcurl\b[^\r\n]*?\s(?:-u|--user)\s+[""']?[^\s:""']+:" +
        @"|(?<![\w\-])--(?:[a-z0-9]+-)*(?:password|passwd|pass|token|secret|api-?key|access-key|client-secret|auth-token)\s+)" +
        @"(?!\[REDACTED\]|-)(?<v>'[^'\r\n]*'|""[^""\r\n]*""|[^\s'""]+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex CommandLineSecret();

    // scheme://user:password@host, the password possibly holding @ itself (the host follows the last @
    // before the path), and redis://:password@host with no user.
    [GeneratedRegex(@"(?<pre>(?<![a-z0-9+.\-])[a-z][a-z0-9+.\-]*://[^\s:/?#""'<>@]*(?:@[^\s:/?#""'<>@]*)*:)(?!\[REDACTED\]@)[^\s/?#""'<>]*@",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex UrlPassword();

    // Oracle's user/password@service: after sqlplus, connect or a JDBC thin URL, or anywhere when the
    // service is written //host or host:port (so actions/checkout@v4 and image@sha256:… stay).
    [GeneratedRegex(
        @"(?<pre>(?:\b(?:sqlplus|sqlldr|rman|expdp|impdp|dgmgrl|conn|connect)(?:\s+-\w+)*\s+[""']?|jdbc:oracle:\w+:)[A-Za-z0-9_$#.]+/)(?!\[REDACTED\])[^\s@/""']+(?=@)" +
        @"|(?<pre>(?<![\w/.\-])[A-Za-z][A-Za-z0-9_$#]*/)(?!\[REDACTED\])[^\s@/""']+(?=@(?://|[A-Za-z0-9.\-]+:\d{2,5}(?:[/\s""']|$)))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex OraclePassword();

    // Authorization: <scheme> <credential>, and Bearer/Basic credentials anywhere (curl -H, logs).
    [GeneratedRegex(
        @"(?<pre>\bauthorization[""']?[ \t]*[:=][ \t]*[""']?(?<scheme>bearer|basic|token|apikey|api-key|sso-key|key|digest)[ \t]+|\b(?<scheme>bearer|basic)[ \t]+)" +
        @"(?!\[REDACTED\])(?<v>[A-Za-z0-9\-._~+/]{8,}=*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex AuthorizationCredential();

    // Credentials with a recognisable vendor shape. Upper-case HK_LIVE_ too: people shout env values.
    [GeneratedRegex(
        @"\b(?:(?i:hk|sk|pk|rk)_(?i:live|test)_[A-Za-z0-9]{8,}" +
        @"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}" +
        @"|gl(?:pat|dt|rt|ptt|soat|cbt)-[A-Za-z0-9_\-]{20,}" +
        @"|xox[abpores]-[A-Za-z0-9\-]{10,}|xapp-\d-[A-Za-z0-9\-]{10,}" +
        @"|AIza[0-9A-Za-z_\-]{35}|GOCSPX-[A-Za-z0-9_\-]{20,}|ya29\.[0-9A-Za-z_\-]{20,}" +
        @"|npm_[A-Za-z0-9]{36}|sk-(?=[A-Za-z0-9_\-]*[0-9])[A-Za-z0-9_\-]{20,}|hf_[A-Za-z0-9]{30,}" +
        @"|SG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}|whsec_[A-Za-z0-9+/=]{24,}|dckr_pat_[A-Za-z0-9_\-]{20,}" +
        @"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|hv[sbr]\.[A-Za-z0-9_\-]{24,}|dapi[a-f0-9]{32}(?:-\d)?" +
        @"|PMAK-[a-f0-9]{24}-[a-f0-9]{34}|AGE-SECRET-KEY-1[0-9A-Z]{50,}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,}={0,2}" +
        @"|NRAK-[A-Z0-9]{27}|pypi-AgE[A-Za-z0-9_\-]{50,}|lin_api_[A-Za-z0-9]{40}|dp\.(?:st|ct|sa)\.[A-Za-z0-9_\-.]{20,}" +
        @"|[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,}|ATATT3[A-Za-z0-9_\-=]{20,}|sntrys_[A-Za-z0-9+/=_]{40,}|sbp_[a-f0-9]{40}" +
        @"|pul-[a-f0-9]{40}|dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}|rubygems_[a-f0-9]{48}|do[opr]_v1_[a-f0-9]{64}|key-[0-9a-z]{32}\b" +
        @"|sq0(?:atp|csp)-[A-Za-z0-9_\-]{22,}|ntn_[A-Za-z0-9]{40,}" +
        // AWS session tokens start with the same bytes, so the same base64 letters.
        @"|(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9+/=]{16,}" +
        // Telegram bot tokens, Azure AD client secrets.
        @"|\d{8,10}:AA[A-Za-z0-9_\-]{33}|[A-Za-z0-9_~.\-]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})",
        RegexOptions.CultureInvariant)]
    private static partial Regex PrefixedToken();

    // Webhook URLs whose path is the credential, and Azure SAS signatures: the part after the prefix goes.
    [GeneratedRegex(
        @"(?<pre>hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_\-]{10,}" +
        @"|(?<pre>discord(?:app)?\.com/api/webhooks/\d+/)[A-Za-z0-9_\-]{20,}" +
        @"|(?<pre>[?&;]sig=)(?!\[REDACTED\])[A-Za-z0-9%+/=]{16,}",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex SecretInUrlPath();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    // A 40-character secret access key. Requiring upper, lower and a digit or / + keeps 40-hex git
    // commit ids (lower-case only) out.
    [GeneratedRegex(@"(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", RegexOptions.CultureInvariant)]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    // A private key block: to its END line when there is one (not past the next BEGIN); otherwise,
    // cut off, the base64 lines that follow the BEGIN line (separated by newlines, literal \n as in
    // JSON strings and logs, or spaces when pasted on one line).
    [GeneratedRegex(
        @"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----" +
        @"(?:(?:(?!-----BEGIN )[\s\S])*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----" +
        @"|(?:(?:\r?\n|\\n)[ \t]*(?:(?:Proc-Type|DEK-Info|Version|Comment):[^\r\n\\]*|[A-Za-z0-9+/=]+|(?=(?:\r?\n|\\n)[ \t]*[A-Za-z0-9+/=]{16,}))|[ \t]+[A-Za-z0-9+/=]{16,})*)",
        RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();
}
