using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Hokusai.Incidents.Search;

/// <summary>
/// Snippets with the matched terms marked <c>**like this**</c>. The highlighter package is not
/// available here, so the stored text is re-analyzed and every token whose term the query asks for
/// (exactly, or by prefix) is marked, in the window that holds the most matches.
/// </summary>
internal sealed class Snippets
{
    private const int Window = 220;
    private readonly HashSet<string> _terms = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];
    private readonly TechnicalAnalyzer _analyzer;

    public Snippets(Query query, TechnicalAnalyzer analyzer)
    {
        _analyzer = analyzer;
        Collect(query);
    }

    /// <summary>The query terms, for callers that want to show what matched.</summary>
    public IReadOnlyCollection<string> Terms => _terms;

    public string Make(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        var marks = new List<(int Start, int End, int Weight)>();
        // Long texts are read a piece at a time, stopping at the first piece with a match: analysis is
        // the costly part of a search that returns long log excerpts.
        for (var piece = 0; piece < flat.Length && marks.Count == 0;)
        {
            var pieceEnd = PieceEnd(flat, piece);
            foreach (var t in _analyzer.Tokens(IndexSchema.Text, flat[piece..pieceEnd]))
            {
                if (_terms.Contains(t.Term) || _prefixes.Any(p => t.Term.StartsWith(p, StringComparison.Ordinal)))
                {
                    // A whole technical token matched counts more than a common word or one of its parts.
                    marks.Add((piece + t.Start, piece + t.End, t.Type == TechnicalAnalyzer.CompoundType ? 3 : 1));
                }
            }
            piece = pieceEnd;
        }
        marks = Merge(marks, flat);
        if (marks.Count == 0)
        {
            return Cut(flat, 0, Math.Min(flat.Length, Window)).Trim();
        }
        // The window with the most weight wins; ties go to the earliest.
        var best = 0;
        var bestWeight = 0;
        for (var i = 0; i < marks.Count; i++)
        {
            var weight = marks.Skip(i).TakeWhile(m => m.End <= marks[i].Start + Window).Sum(m => m.Weight);
            if (weight > bestWeight)
            {
                best = i;
                bestWeight = weight;
            }
        }
        var from = Math.Max(0, marks[best].Start - 60);
        var to = Math.Min(flat.Length, from + Window);
        from = WordStart(flat, from);
        var b = new StringBuilder();
        if (from > 0)
        {
            b.Append('…');
        }
        var pos = from;
        foreach (var (s, e, _) in marks.Where(m => m.Start >= from && m.End <= to))
        {
            b.Append(flat, pos, s - pos).Append("**").Append(flat, s, e - s).Append("**");
            pos = e;
        }
        b.Append(flat, pos, to - pos);
        if (to < flat.Length)
        {
            b.Append('…');
        }
        return CollapseSpaces(b.ToString()).Trim();
    }

    private void Collect(Query query)
    {
        switch (query)
        {
            case BooleanQuery b:
                foreach (var c in b.Clauses.Where(c => c.Occur != Occur.MUST_NOT))
                {
                    Collect(c.Query);
                }
                break;
            case TermQuery t:
                Add(t.Term);
                break;
            // Single characters of a phrase (the 0 and 3 of 10.0.3.219) would mark every digit in the text.
            case PhraseQuery p:
                foreach (var t in p.GetTerms().Where(t => t.Text.Length > 1))
                {
                    Add(t);
                }
                break;
            case MultiPhraseQuery m:
                foreach (var t in m.GetTermArrays().SelectMany(a => a).Where(t => t.Text.Length > 1))
                {
                    Add(t);
                }
                break;
            case PrefixQuery p when IsText(p.Prefix.Field):
                _prefixes.Add(p.Prefix.Text);
                break;
            case WildcardQuery w when IsText(w.Term.Field):
                var literal = w.Term.Text.Split('*', '?')[0];
                if (literal.Length > 0)
                {
                    _prefixes.Add(literal);
                }
                break;
            case FuzzyQuery f when IsText(f.Term.Field):
                _terms.Add(f.Term.Text);
                break;
        }
    }

    private void Add(Term t)
    {
        if (IsText(t.Field))
        {
            _terms.Add(t.Text);
        }
    }

    private static bool IsText(string field) => field is IndexSchema.Text or IndexSchema.Title or IndexSchema.Source;

    /// <summary>Joins overlapping marks, and marks separated only by punctuation (api/mlflow/health), into one.</summary>
    private static List<(int Start, int End, int Weight)> Merge(List<(int Start, int End, int Weight)> marks, string text)
    {
        var merged = new List<(int Start, int End, int Weight)>();
        foreach (var m in marks.OrderBy(m => m.Start).ThenByDescending(m => m.End))
        {
            if (merged.Count > 0 && (m.Start <= merged[^1].End || Joined(text, merged[^1].End, m.Start)))
            {
                var last = merged[^1];
                merged[^1] = (last.Start, Math.Max(last.End, m.End), Math.Max(last.Weight, m.Weight));
            }
            else
            {
                merged.Add(m);
            }
        }
        return merged;
    }

    private static bool Joined(string text, int end, int start) =>
        start > end && start - end <= 3 && !text.AsSpan(end, start - end).ContainsAnyExcept("/.:-_@");

    private static int PieceEnd(string text, int from)
    {
        const int Piece = 2_000;
        var end = Math.Min(text.Length, from + Piece);
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }
        return end;
    }

    private static int WordStart(string text, int at)
    {
        while (at > 0 && !char.IsWhiteSpace(text[at - 1]) && at > 0)
        {
            at--;
        }
        return at;
    }

    private static string Cut(string text, int from, int to) =>
        text[from..to] + (to < text.Length ? "…" : "");

    private static string CollapseSpaces(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) && b.Length > 0 && b[^1] == ' ')
            {
                continue;
            }
            b.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }
        return b.ToString();
    }
}
