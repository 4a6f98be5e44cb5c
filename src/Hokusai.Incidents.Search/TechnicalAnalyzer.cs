using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Hokusai.Incidents.Search;

/// <summary>
/// Text analysis for outage notes. Engineers search for tokens exactly as they appear in logs
/// (<c>/api/mlflow/health</c>, <c>10.0.3.219:5000</c>, <c>hokusai-api-development</c>, <c>SyntaxError</c>),
/// so such a token is kept whole and unstemmed, and its sub-words are emitted as well (stemmed, at
/// following positions) so that <c>mlflow</c>, <c>syntax error</c> or a phrase of the parts also find it.
/// Plain words are lower-cased and Porter-stemmed (<c>timeouts</c> finds <c>timeout</c>).
/// </summary>
public sealed class TechnicalAnalyzer : Analyzer
{
    /// <summary>Token type of a token kept whole (path, address, hyphenated or camel-case name).</summary>
    public const string CompoundType = "compound";
    /// <summary>Token type of a sub-word of a compound token.</summary>
    public const string PartType = "part";
    /// <summary>Token type of an ordinary word.</summary>
    public const string WordType = "word";

    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// Little words that say nothing by themselves in a query ("timeout on the api"). They are still
    /// indexed, so phrases keep them, but a search does not require them. Words that change a meaning
    /// (not, no, after, before) are not among them.
    /// </summary>
    internal static readonly IReadOnlySet<string> FillerWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "on", "in", "at", "to", "for", "from", "by", "with", "into", "and", "or",
        "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those",
    };

    private readonly bool _originalForms;

    /// <param name="originalForms">
    /// Also emit each stemmed word as written, at the same position. The index is built this way so
    /// that a prefix (<c>dns*</c>, <c>deploy*</c>) finds words whose stem no longer starts with it
    /// (dns → dn, deployed → deploi); queries are analyzed without, as their words match by stem.
    /// </param>
    public TechnicalAnalyzer(bool originalForms = false)
    {
        _originalForms = originalForms;
    }

    /// <summary>
    /// Positions left between two values of one field (two log events of a block). No phrase with less
    /// slop runs from one value into the next, and as a block of several items holds fewer positions
    /// than this in all (each takes at least one character, and such a block has at most
    /// <see cref="IncidentDocuments.BlockChars"/> characters), position / gap is the item's index in its block.
    /// Kept small on purpose: Lucene's exact phrase scorer walks a document's positions in windows of
    /// 4,096 from zero, so a gap of a million cost it some 7,800 empty windows per block of 32 events,
    /// which was most of the time of a phrase, host:port or path search over a million log events.
    /// </summary>
    public const int ValueGap = 8_192;

    public override int GetPositionIncrementGap(string fieldName) => ValueGap;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new TechnicalTokenizer(reader);
        TokenStream stream = new CompoundTokenFilter(tokenizer);
        if (!_originalForms)
        {
            return new TokenStreamComponents(tokenizer, new PorterStemFilter(stream));
        }
        stream = new PorterStemFilter(new OriginalFormFilter(stream));
        return new TokenStreamComponents(tokenizer, new RemoveDuplicatesTokenFilter(stream));
    }

    /// <summary>Analyzes text into (term, type, start, end) tuples; used for snippets and shared terms.</summary>
    public IEnumerable<AnalyzedToken> Tokens(string field, string text)
    {
        using var stream = GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var position = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var list = new List<AnalyzedToken>();
        while (stream.IncrementToken())
        {
            list.Add(new AnalyzedToken(term.ToString(), type.Type, offset.StartOffset, offset.EndOffset, position.PositionIncrement));
        }
        stream.End();
        return list;
    }
}

/// <summary>One analyzed token with where it came from in the text.</summary>
public readonly record struct AnalyzedToken(string Term, string Type, int Start, int End, int PositionIncrement);

/// <summary>Splits on whitespace and punctuation, but keeps characters that hold technical tokens together.</summary>
internal sealed class TechnicalTokenizer(TextReader reader) : CharTokenizer(TechnicalAnalyzer.Version, reader)
{
    protected override bool IsTokenChar(int c) =>
        c is '/' or '.' or ':' or '-' or '_' or '@' || (Rune.TryCreate(c, out var r) && Rune.IsLetterOrDigit(r));
}

/// <summary>
/// Follows every token the stemmer will change with a copy marked as a keyword, so the stemmer
/// leaves it as written; a copy the stemmer would not have changed is dropped later as a duplicate.
/// </summary>
internal sealed class OriginalFormFilter : TokenFilter
{
    private readonly ICharTermAttribute _term;
    private readonly IKeywordAttribute _keyword;
    private readonly IPositionIncrementAttribute _position;
    private char[] _original = new char[32];
    private int _originalLength = -1;

    public OriginalFormFilter(TokenStream input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _keyword = AddAttribute<IKeywordAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
    }

    public override bool IncrementToken()
    {
        if (_originalLength >= 0)
        {
            // Only the term changed since the stemmed copy went out: offsets and type still hold.
            _term.CopyBuffer(_original, 0, _originalLength);
            _originalLength = -1;
            _keyword.IsKeyword = true;
            _position.PositionIncrement = 0;
            return true;
        }
        if (!m_input.IncrementToken())
        {
            return false;
        }
        if (!_keyword.IsKeyword && MayStem(_term))
        {
            if (_original.Length < _term.Length)
            {
                _original = new char[_term.Length * 2];
            }
            Array.Copy(_term.Buffer, _original, _term.Length);
            _originalLength = _term.Length;
        }
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _originalLength = -1;
    }

    /// <summary>Porter leaves words of one or two letters, and numbers, as they are.</summary>
    private static bool MayStem(ICharTermAttribute term)
    {
        if (term.Length <= 2)
        {
            return false;
        }
        for (var i = 0; i < term.Length; i++)
        {
            if (char.IsLetter(term.Buffer[i]))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>
/// Trims sentence punctuation off each token, lower-cases it, and when it is a compound (inner
/// punctuation or a case change) emits the whole token, marked as a keyword so it is not stemmed,
/// followed by its parts.
/// </summary>
internal sealed class CompoundTokenFilter : TokenFilter
{
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _position;
    private readonly ITypeAttribute _type;
    private readonly IKeywordAttribute _keyword;
    private readonly Queue<(string Text, int Start, int End)> _parts = new();
    private readonly Queue<(string Text, int Start, int End)> _compounds = new();
    private bool _firstPart;

    public CompoundTokenFilter(TokenStream input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
        _type = AddAttribute<ITypeAttribute>();
        _keyword = AddAttribute<IKeywordAttribute>();
    }

    public override bool IncrementToken()
    {
        if (_compounds.TryDequeue(out var piece))
        {
            // The host and path of a URL, stacked on it, so /api/x or 10.0.3.219:5000 typed alone match it.
            _term.SetEmpty().Append(piece.Text);
            _offset.SetOffset(piece.Start, piece.End);
            _position.PositionIncrement = 0;
            _type.Type = TechnicalAnalyzer.CompoundType;
            _keyword.IsKeyword = true;
            return true;
        }
        if (_parts.TryDequeue(out var part))
        {
            _term.SetEmpty().Append(part.Text);
            _offset.SetOffset(part.Start, part.End);
            // The first part shares the compound's position; later parts follow, so a phrase of the parts matches.
            _position.PositionIncrement = _firstPart ? 0 : 1;
            _firstPart = false;
            _type.Type = TechnicalAnalyzer.PartType;
            _keyword.IsKeyword = false;
            return true;
        }
        while (m_input.IncrementToken())
        {
            if (LowerPlainWordInPlace())
            {
                // Most of a log line or postmortem is plain words: no strings, no parts, same result.
                var plainStart = _offset.StartOffset;
                _offset.SetOffset(plainStart, plainStart + _term.Length);
                _type.Type = TechnicalAnalyzer.WordType;
                _keyword.IsKeyword = false;
                return true;
            }
            var raw = _term.ToString();
            var (from, to) = Trim(raw);
            if (to - from == 0)
            {
                continue;
            }
            var start = _offset.StartOffset + from;
            var text = raw[from..to];
            var end = start + text.Length;
            var parts = Parts(text, start);
            _term.SetEmpty().Append(text.ToLowerInvariant());
            _offset.SetOffset(start, end);
            if (parts.Count == 1 && parts[0].Text.Length == text.Length)
            {
                _type.Type = TechnicalAnalyzer.WordType;
                _keyword.IsKeyword = false;
                return true;
            }
            _type.Type = TechnicalAnalyzer.CompoundType;
            _keyword.IsKeyword = true;
            _compounds.Clear();
            UrlPieces(text, start);
            foreach (var p in parts)
            {
                _parts.Enqueue(p);
            }
            _firstPart = true;
            return true;
        }
        return false;
    }

    public override void Reset()
    {
        base.Reset();
        _parts.Clear();
        _compounds.Clear();
    }

    /// <summary>
    /// An ASCII token of letters and digits that is all lower case, all upper case, or capitalised
    /// ("timeout", "ERROR", "Deploy", "503") has no case boundary and nothing to trim, so it is one word:
    /// lower-cased where it lies. Anything else ("SyntaxError", "/api", "10.0.3.219:5000") takes the
    /// general path below.
    /// </summary>
    private bool LowerPlainWordInPlace()
    {
        var buffer = _term.Buffer;
        var length = _term.Length;
        if (length == 0)
        {
            return false;
        }
        bool upper = false, lower = false;
        for (var i = 0; i < length; i++)
        {
            var c = buffer[i];
            if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        // Mixed case is plain only as a capital first letter and no other capital.
        if (upper && lower && (!char.IsAsciiLetterUpper(buffer[0]) || buffer.AsSpan(1, length - 1).IndexOfAnyInRange('A', 'Z') >= 0))
        {
            return false;
        }
        for (var i = 0; i < length; i++)
        {
            buffer[i] = char.ToLowerInvariant(buffer[i]);
        }
        return true;
    }

    private void UrlPieces(string text, int offset)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            // host:port also stands for the host alone, so 10.0.3.219 finds 10.0.3.219:5000.
            var colon = text.LastIndexOf(':');
            if (colon > 0 && colon < text.Length - 1 && text.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0
                && text.IndexOf('/', StringComparison.Ordinal) < 0 && text[..colon].Contains('.', StringComparison.Ordinal))
            {
                _compounds.Enqueue((text[..colon].ToLowerInvariant(), offset, offset + colon));
            }
            return;
        }
        var hostStart = scheme + 3;
        var slash = text.IndexOf('/', hostStart);
        var hostEnd = slash < 0 ? text.Length : slash;
        if (hostEnd > hostStart)
        {
            _compounds.Enqueue((text[hostStart..hostEnd].ToLowerInvariant(), offset + hostStart, offset + hostEnd));
        }
        if (slash > 0 && slash < text.Length - 1)
        {
            _compounds.Enqueue((text[slash..].ToLowerInvariant(), offset + slash, offset + text.Length));
        }
    }

    /// <summary>Drops leading and trailing punctuation ("deploy." "ERROR:" "--verbose"), keeping a path's leading slash.</summary>
    private static (int From, int To) Trim(string raw)
    {
        var from = 0;
        var to = raw.Length;
        while (to > from && !char.IsLetterOrDigit(raw[to - 1]))
        {
            to--;
        }
        while (from < to && !char.IsLetterOrDigit(raw[from]))
        {
            from++;
        }
        if (from > 0 && raw[from - 1] == '/' && from < to)
        {
            from--;
        }
        return (from, to);
    }

    /// <summary>Sub-words: split on punctuation, then on case changes (SyntaxError, OOMKilled); lower-cased.</summary>
    private static List<(string Text, int Start, int End)> Parts(string text, int offset)
    {
        var parts = new List<(string, int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }
            var s = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                if (i > s && IsCaseBoundary(text, i))
                {
                    parts.Add((text[s..i].ToLowerInvariant(), offset + s, offset + i));
                    s = i;
                }
                i++;
            }
            if (i > s)
            {
                parts.Add((text[s..i].ToLowerInvariant(), offset + s, offset + i));
            }
        }
        return parts;
    }

    private static bool IsCaseBoundary(string text, int i)
    {
        var prev = text[i - 1];
        var c = text[i];
        if (char.IsLower(prev) && char.IsUpper(c))
        {
            return true;
        }
        // "OOMKilled": the boundary is before the last capital of a run that starts a word, unless that
        // leaves one letter ("MLflow" is one name, not "m" and "lflow").
        return char.IsUpper(prev) && char.IsUpper(c) && i + 1 < text.Length && char.IsLower(text[i + 1])
            && i >= 2 && char.IsUpper(text[i - 2]);
    }
}
