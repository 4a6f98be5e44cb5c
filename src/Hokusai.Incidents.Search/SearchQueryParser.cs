using System.Text;
using System.Text.RegularExpressions;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;

namespace Hokusai.Incidents.Search;

/// <summary>
/// Parses what engineers type: words, "phrases", prefix*, field:value, AND/OR/NOT and parentheses,
/// with technical tokens taken literally. The classic query syntax would read <c>/api/x</c> as a
/// regular expression, <c>10.0.3.219:5000</c> as a field and <c>'('</c> as a group, so the text is
/// first re-written with such characters escaped, keeping only the operators a person meant.
/// </summary>
public static partial class SearchQueryParser
{
    /// <summary>
    /// Parses a query; a mistake is an <see cref="InvalidInputException"/> with a one-line message.
    /// Words not joined by an operator must all match, as in a log search, unless <paramref name="anyWord"/>
    /// is set or the query itself says OR somewhere.
    /// </summary>
    public static Query Parse(string text, TechnicalAnalyzer analyzer, bool anyWord = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidInputException("empty search query: give some words, e.g. \"504 after deploy\"");
        }
        var rewritten = Rewrite(text);
        // Without an explicit OR, kind:task or severity:sev1 narrow the search rather than add to it.
        var hasOr = HasOr(rewritten);
        var parser = new TechnicalQueryParser(analyzer, filtersAreRequired: !hasOr, allWords: !hasOr && !anyWord);
        try
        {
            return parser.Parse(rewritten) ?? new BooleanQuery();
        }
        catch (ParseException e)
        {
            throw new InvalidInputException($"invalid query '{text}': {Explain(e)}", e);
        }
    }

    private static bool HasOr(string rewritten) => rewritten.Split(' ').Any(t => t is "OR" or "||");

    /// <summary>Escapes everything that is not meant as query syntax. Public for tests.</summary>
    public static string Rewrite(string text)
    {
        var output = new StringBuilder();
        var depth = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            if (output.Length > 0)
            {
                output.Append(' ');
            }
            if (text[i] == '"')
            {
                i = Phrase(text, i, output);
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && !(text[i] == '"' && i > start && text[i - 1] == ':'))
            {
                i++;
            }
            var chunk = text[start..i];
            if (i < text.Length && text[i] == '"')
            {
                // field:"a phrase"
                var field = chunk[..^1];
                if (IsField(field))
                {
                    output.Append(field.ToLowerInvariant()).Append(':');
                    i = Phrase(text, i, output);
                    continue;
                }
                output.Append(Escape(chunk)).Append(' ');
                i = Phrase(text, i, output);
                continue;
            }
            output.Append(Chunk(chunk, start, ref depth));
        }
        if (depth > 0)
        {
            throw new InvalidInputException($"invalid query '{text}': a '(' is never closed; add ')' or remove it");
        }
        return output.ToString();
    }

    private static int Phrase(string text, int open, StringBuilder output)
    {
        var close = text.IndexOf('"', open + 1);
        if (close < 0)
        {
            throw new InvalidInputException(
                $"invalid query '{text}': the quote at column {open + 1} is never closed; add a closing \"");
        }
        var inner = text[(open + 1)..close].Replace("\\", "\\\\", StringComparison.Ordinal);
        output.Append('"').Append(inner).Append('"');
        var i = close + 1;
        var suffix = Suffix().Match(text, i);
        if (suffix.Success && suffix.Index == i)
        {
            output.Append(suffix.Value);
            i += suffix.Length;
        }
        return i;
    }

    private static string Chunk(string chunk, int column, ref int depth)
    {
        if (chunk is "AND" or "OR" or "NOT" or "&&" or "||")
        {
            return chunk;
        }
        var head = new StringBuilder();
        var s = 0;
        if (chunk.Length > 1 && chunk[0] is '+' or '-' or '!' && (char.IsLetterOrDigit(chunk[1]) || chunk[1] is '(' or '/'))
        {
            head.Append(chunk[0]);
            s = 1;
        }
        while (s < chunk.Length && chunk[s] == '(')
        {
            head.Append('(');
            depth++;
            s++;
        }
        var e = chunk.Length;
        var closes = 0;
        while (e > s && chunk[e - 1] == ')' && closes < depth)
        {
            closes++;
            e--;
        }
        depth -= closes;
        var core = chunk[s..e];
        var tail = "";
        var suffix = Suffix().Match(core);
        if (suffix.Success && suffix.Index > 0 && suffix.Index + suffix.Length == core.Length)
        {
            tail = suffix.Value;
            core = core[..suffix.Index];
        }
        var colon = core.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && IsField(core[..colon]))
        {
            var value = core[(colon + 1)..];
            var field = core[..colon].ToLowerInvariant();
            head.Append(field == "id" ? IndexSchema.Incident : field).Append(':');
            core = value;
            if (core.Length == 0)
            {
                throw new InvalidInputException($"invalid query: '{chunk}' at column {column + 1} names a field but no value");
            }
        }
        return head + Escape(core) + tail + new string(')', closes);
    }

    private static bool IsField(string name) =>
        IndexSchema.QueryFields.Contains(name.ToLowerInvariant()) && name.All(char.IsLetter);

    /// <summary>Escapes query syntax characters; a trailing or inner <c>*</c> stays a wildcard.</summary>
    private static string Escape(string core)
    {
        var b = new StringBuilder(core.Length + 4);
        foreach (var c in core)
        {
            if (c is '\\' or '+' or '-' or '!' or '(' or ')' or ':' or '^' or '[' or ']' or '"' or '{' or '}' or '~' or '?' or '|' or '&' or '/')
            {
                b.Append('\\');
            }
            b.Append(c);
        }
        return b.ToString();
    }

    /// <summary>One line from the parser's message: what it met and where, without its grammar dump.</summary>
    private static string Explain(ParseException e)
    {
        var inner = e.InnerException as ParseException ?? e;
        var token = inner.CurrentToken?.Next;
        if (token is not null)
        {
            var after = string.IsNullOrEmpty(inner.CurrentToken!.Image) ? "" : $" after '{inner.CurrentToken.Image}'";
            return token.Kind == 0
                ? $"it ends{after} where a search term was expected (a dangling AND, OR or NOT?)"
                : $"unexpected '{token.Image}'{after}";
        }
        var first = (inner.Message ?? "").Split('\n')[0];
        var cut = first.IndexOf("': ", StringComparison.Ordinal);
        return (cut >= 0 ? first[(cut + 3)..] : first).Trim();
    }

    [GeneratedRegex(@"(~\d*(\.\d+)?|\^\d+(\.\d+)?)")]
    private static partial Regex Suffix();

    /// <summary>
    /// The classic parser with analysis that understands compound tokens: a compound becomes a phrase
    /// of its parts that also accepts the whole token at its first position, and keyword fields
    /// (kind, item, severity…) take the value as one exact term.
    /// </summary>
    private sealed class TechnicalQueryParser : QueryParser
    {
        private readonly TechnicalAnalyzer _analyzer;
        private readonly bool _filtersAreRequired;
        private readonly bool _allWords;

        /// <summary>Filler words as the index holds them: stemmed ("was" is "wa").</summary>
        private static readonly Lazy<HashSet<string>> FillerTerms = new(() =>
        {
            using var analyzer = new TechnicalAnalyzer();
            return [.. TechnicalAnalyzer.FillerWords.SelectMany(w => analyzer.Tokens(IndexSchema.Text, w)).Select(t => t.Term)];
        });

        public TechnicalQueryParser(TechnicalAnalyzer analyzer, bool filtersAreRequired, bool allWords) : base(TechnicalAnalyzer.Version, IndexSchema.Text, analyzer)
        {
            _analyzer = analyzer;
            _filtersAreRequired = filtersAreRequired;
            _allWords = allWords;
            DefaultOperator = allWords ? AND_OPERATOR : OR_OPERATOR;
            AutoGeneratePhraseQueries = false;
            AllowLeadingWildcard = false;
            LowercaseExpandedTerms = true;
        }

        protected override Query GetFieldQuery(string field, string queryText, bool quoted)
        {
            if (IndexSchema.IsKeyword(field))
            {
                return new TermQuery(new Term(field, KeywordValue(field, queryText)));
            }
            var tokens = _analyzer.Tokens(field, queryText).ToList();
            var compounds = tokens.Where(t => t.Type == TechnicalAnalyzer.CompoundType).ToList();
            // Pieces stacked on a compound (the host of host:port) are the same token, not a second one:
            // counting them sent 10.0.3.219:5000 down the multi-phrase path, which walks the postings of "10".
            if (!quoted && compounds.Count > 0 && tokens.Count(t => t.Type != TechnicalAnalyzer.PartType && t.PositionIncrement > 0) == 1)
            {
                return CompoundQuery(field, tokens);
            }
            return base.GetFieldQuery(field, queryText, quoted || compounds.Count > 0);
        }

        /// <summary>
        /// A compound token as the phrase of its parts (which matches it written whole too, as its
        /// parts are indexed with it), with the whole token as an optional term that ranks exact
        /// spellings first. A plain phrase lets Lucene lead with the rarest part; stacking the whole
        /// token on the first position would make it walk the long postings of "10" or "api".
        /// </summary>
        private static Query CompoundQuery(string field, List<AnalyzedToken> tokens)
        {
            var phrase = new PhraseQuery();
            var position = -1;
            foreach (var t in tokens)
            {
                position += t.PositionIncrement;
                if (t.Type == TechnicalAnalyzer.PartType)
                {
                    phrase.Add(new Term(field, t.Term), position);
                }
            }
            var whole = new TermQuery(new Term(field, tokens.First(t => t.Type == TechnicalAnalyzer.CompoundType).Term));
            return new BooleanQuery { { phrase, Occur.SHOULD }, { whole, Occur.SHOULD } };
        }

        protected override Query GetBooleanQuery(IList<BooleanClause> clauses, bool disableCoord)
        {
            if (_allWords && clauses.Any(c => c.Occur == Occur.MUST && !IsFiller(c.Query)))
            {
                // "504 on the gateway" needs 504 and gateway, not "on" and "the": a log line rarely has
                // them. Dropped rather than made optional, which would still walk their long postings.
                clauses = [.. clauses.Where(c => !(c.Occur == Occur.MUST && IsFiller(c.Query)))];
            }
            if (_filtersAreRequired)
            {
                foreach (var c in clauses)
                {
                    if (c.Occur == Occur.SHOULD && c.Query is TermQuery t && IndexSchema.IsKeyword(t.Term.Field))
                    {
                        c.Occur = Occur.MUST;
                    }
                }
            }
            return base.GetBooleanQuery(clauses, disableCoord);
        }

        protected override Query GetPrefixQuery(string field, string termStr) =>
            IndexSchema.IsKeyword(field)
                ? new PrefixQuery(new Term(field, termStr.ToLowerInvariant()))
                : base.GetPrefixQuery(field, TrimForPrefix(termStr));

        protected override Query GetWildcardQuery(string field, string termStr) =>
            base.GetWildcardQuery(field, termStr.TrimEnd('.', ',', ';', ':'));

        private bool IsFiller(Query query) =>
            query is TermQuery t && !IndexSchema.IsKeyword(t.Term.Field) && FillerTerms.Value.Contains(t.Term.Text);

        private static string TrimForPrefix(string term) => term.TrimStart('.', ',', ';', ':', '-');

        private static string KeywordValue(string field, string value) => field switch
        {
            IndexSchema.Severity => Vocabulary.Label(Vocabulary.ParseSeverity(value)).ToLowerInvariant(),
            IndexSchema.Status => Vocabulary.Word(Vocabulary.ParseStatus(value)),
            IndexSchema.Kind => IndexSchema.ParseKind(value),
            _ => value.Trim().ToLowerInvariant(),
        };
    }
}
