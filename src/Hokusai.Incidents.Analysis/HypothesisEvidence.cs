using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Analysis;

/// <summary>How a piece of evidence bears on a hypothesis.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Bearing>))]
public enum Bearing
{
    /// <summary>It matches what the hypothesis expects if true.</summary>
    Supports,
    /// <summary>It matches what the hypothesis expects if false.</summary>
    Refutes,
    /// <summary>It shares the hypothesis's names (errors, components, endpoints, commands) but not one side of its test.</summary>
    Related,
}

/// <summary>A piece of evidence suggested for a hypothesis, with the words that matched and how strongly.</summary>
public sealed record EvidenceMatch(string Hypothesis, string Evidence, Bearing Bearing, int Score, IReadOnlyList<string> Words, string Summary);

/// <summary>
/// Finds stored evidence that bears on a hypothesis by the words they share: what the hypothesis
/// expects if true or if false, and the names in its title, description, test steps and commands (error
/// names, paths, hosts, IPs, status codes, task counts such as 0/1). Technical names weigh more than
/// ordinary words, and a match needs more than one ordinary word.
/// </summary>
public static partial class HypothesisEvidence
{
    /// <summary>Below this score a match is a coincidence: one name, or three ordinary words, is needed.</summary>
    public const int MinimumScore = 3;

    private const int NameWeight = 3;

    public static IReadOnlyList<EvidenceMatch> Suggest(Incident incident, Hypothesis hypothesis, IEnumerable<Evidence> evidence, int limit = 10)
    {
        var terms = new HypothesisTerms(hypothesis, new TokenTerms());
        return Suggest(terms, new EvidenceWords(evidence, terms.All), limit);
    }

    /// <summary>The strongest suggestions for each open hypothesis, for <c>show</c> and the investigation document.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<EvidenceMatch>> ForOpenHypotheses(Incident incident, IReadOnlyCollection<Evidence> evidence, int perHypothesis = 3)
    {
        var tokens = new TokenTerms();
        var open = incident.Hypotheses.Where(h => h.Status == HypothesisStatus.Open).Select(h => new HypothesisTerms(h, tokens)).ToList();
        if (open.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<EvidenceMatch>>(StringComparer.Ordinal);
        }
        // Each piece of evidence is split into words once for all hypotheses, and only the words some
        // hypothesis uses are indexed: a hundred hypotheses over ten thousand log lines re-tokenised every
        // line per hypothesis, seconds of a render.
        var words = new EvidenceWords(evidence, [.. open.SelectMany(h => h.All)]);
        var matches = new IReadOnlyList<EvidenceMatch>[open.Count];
        // A hundred hypotheses over ten thousand items is tens of milliseconds: hypotheses are scored side by
        // side then, each core with word weights of its own.
        var cores = (long)open.Count * words.Items.Count >= 100_000 ? Environment.ProcessorCount : 1;
        Parallel.For(0, open.Count, new ParallelOptions { MaxDegreeOfParallelism = cores }, words.NewWeights,
            (i, _, weights) =>
            {
                matches[i] = Suggest(open[i], words, perHypothesis, weights);
                return weights;
            },
            _ => { });
        return open
            .Select((h, i) => (h.Hypothesis.Key, Matches: matches[i]))
            .Where(x => x.Matches.Count > 0)
            .ToDictionary(x => x.Key, x => x.Matches, StringComparer.Ordinal);
    }

    /// <summary>The words of a hypothesis: those only its true side expects, only its false side, and all of them.</summary>
    private sealed class HypothesisTerms
    {
        public HypothesisTerms(Hypothesis hypothesis, TokenTerms tokens)
        {
            Hypothesis = hypothesis;
            var ifTrue = tokens.Of([hypothesis.TestMethod.ExpectedIfTrue, .. hypothesis.SupportingEvidence]);
            var ifFalse = tokens.Of([hypothesis.TestMethod.ExpectedIfFalse, .. hypothesis.EvidenceAgainst]);
            var about = tokens.Of([hypothesis.Title, hypothesis.Description, hypothesis.WhyItCausesTheBug, hypothesis.QuickFixTest,
                .. hypothesis.TestMethod.Steps, .. hypothesis.Commands.Select(c => c.Code)]);
            OnlyTrue = ifTrue.Except(ifFalse).ToHashSet(StringComparer.Ordinal);
            OnlyFalse = ifFalse.Except(ifTrue).ToHashSet(StringComparer.Ordinal);
            All = about.Union(ifTrue).Union(ifFalse).ToHashSet(StringComparer.Ordinal);
        }

        public Hypothesis Hypothesis { get; }
        public HashSet<string> OnlyTrue { get; }
        public HashSet<string> OnlyFalse { get; }
        public HashSet<string> All { get; }
    }

    private static IReadOnlyList<EvidenceMatch> Suggest(HypothesisTerms terms, EvidenceWords evidence, int limit) =>
        Suggest(terms, evidence, limit, evidence.NewWeights());

    private static IReadOnlyList<EvidenceMatch> Suggest(HypothesisTerms terms, EvidenceWords evidence, int limit, Tally[] weights)
    {
        var hypothesis = terms.Hypothesis;
        var all = terms.All;
        if (all.Count == 0)
        {
            return [];
        }
        // What each of the hypothesis's words adds to a score, by word number; words no evidence holds have none.
        var used = new List<int>(all.Count);
        foreach (var term in all)
        {
            if (evidence.IdOf(term) is not { } id)
            {
                continue;
            }
            var weight = Weight(term);
            weights[id] = new Tally
            {
                Score = weight,
                ForTrue = terms.OnlyTrue.Contains(term) ? weight : 0,
                ForFalse = terms.OnlyFalse.Contains(term) ? weight : 0,
            };
            used.Add(id);
        }
        var key = hypothesis.Key;
        // Strongest first; a side of the test beats a shared name of the same score; then evidence order.
        var best = new List<(int Index, int Score, Bearing Bearing)>(limit + 1);
        int Compare((int Index, int Score, Bearing Bearing) x, (int Index, int Score, Bearing Bearing) y)
        {
            var c = y.Score.CompareTo(x.Score);
            c = c != 0 ? c : (x.Bearing == Bearing.Related ? 1 : 0).CompareTo(y.Bearing == Bearing.Related ? 1 : 0);
            c = c != 0 ? c : evidence.Items[x.Index].Number.CompareTo(evidence.Items[y.Index].Number);
            return c != 0 ? c : x.Index.CompareTo(y.Index);
        }
        // Evidence holding the same words scores the same: each set of words is scored once, then its
        // items are offered in evidence order until one cannot get into the list.
        foreach (var shape in evidence.Shapes)
        {
            var tally = default(Tally);
            foreach (var id in shape.Words)
            {
                var w = weights[id];
                tally.Score += w.Score;
                tally.ForTrue += w.ForTrue;
                tally.ForFalse += w.ForFalse;
            }
            if (tally.Score < MinimumScore || (best.Count == limit && tally.Score < best[^1].Score))
            {
                continue;
            }
            var bearing = tally.ForTrue > tally.ForFalse ? Bearing.Supports : tally.ForFalse > tally.ForTrue ? Bearing.Refutes : Bearing.Related;
            foreach (var index in shape.Items)
            {
                var candidate = (index, tally.Score, bearing);
                if (best.Count == limit && Compare(candidate, best[^1]) >= 0)
                {
                    break;
                }
                var e = evidence.Items[index];
                if (e.Supports.Contains(key) || e.Refutes.Contains(key))
                {
                    continue;
                }
                var at = best.Count;
                while (at > 0 && Compare(candidate, best[at - 1]) < 0)
                {
                    at--;
                }
                best.Insert(at, candidate);
                if (best.Count > limit)
                {
                    best.RemoveAt(limit);
                }
            }
        }
        foreach (var id in used)
        {
            weights[id] = default;
        }
        return [.. best.Select(b =>
        {
            var e = evidence.Items[b.Index];
            var words = evidence.WordsOf(b.Index).Where(all.Contains).OrderByDescending(Weight).ThenBy(w => w, StringComparer.Ordinal);
            return new EvidenceMatch(hypothesis.Key, e.Key, b.Bearing, b.Score, [.. words], Clip(Summary(e)));
        })];
    }

    /// <summary>The terms of each distinct token, worked out once: hypotheses of one incident repeat most of their words.</summary>
    private sealed class TokenTerms
    {
        private readonly Dictionary<string, string[]> _byToken = new(StringComparer.Ordinal);
        private readonly HashSet<string> _found = new(StringComparer.Ordinal);

        /// <summary>The same set as <see cref="Terms"/>.</summary>
        public HashSet<string> Of(IEnumerable<string?> texts)
        {
            var tokens = _byToken.GetAlternateLookup<ReadOnlySpan<char>>();
            var terms = new HashSet<string>(StringComparer.Ordinal);
            foreach (var text in texts)
            {
                if (string.IsNullOrEmpty(text))
                {
                    continue;
                }
                for (var at = 0; NextToken(text, ref at, out var start);)
                {
                    var token = text.AsSpan(start, at - start);
                    if (!tokens.TryGetValue(token, out var found))
                    {
                        _found.Clear();
                        var raw = token.ToString();
                        AddTerms(_found, raw);
                        _byToken[raw] = found = [.. _found];
                    }
                    terms.UnionWith(found);
                }
            }
            return terms;
        }
    }

    /// <summary>What words add up to for one piece of evidence, overall and for each side of a hypothesis's test.</summary>
    private struct Tally
    {
        public int Score;
        public int ForTrue;
        public int ForFalse;
    }

    /// <summary>Pieces of evidence that hold exactly the same words (by number, ascending), in evidence order.</summary>
    private sealed record Shape(int[] Words, List<int> Items);

    /// <summary>
    /// Evidence split into words once, and grouped by the set of words it holds: log lines repeat, so there
    /// are far fewer sets than lines. Only the words in <c>wanted</c> (those of the hypotheses asked about)
    /// are kept; no other word can score.
    /// </summary>
    private sealed class EvidenceWords
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _terms = [];
        private readonly Shape[] _shapeOf;

        public EvidenceWords(IEnumerable<Evidence> evidence, IEnumerable<string> wanted)
        {
            Items = [.. evidence];
            _shapeOf = new Shape[Items.Count];
            foreach (var term in wanted)
            {
                if (_ids.TryAdd(term, _terms.Count))
                {
                    _terms.Add(term);
                }
            }
            var ids = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
            // Tokens keep their case and terms are lower case (tokens are ASCII, so ignoring case is lowering it).
            var anyWanted = SearchValues.Create([.. _terms], StringComparison.OrdinalIgnoreCase);
            // Ten thousand log lines take tens of milliseconds to split into words: large incidents are split
            // in two halves, one per core, whose shapes are then joined.
            var halves = Items.Count >= 4_000 && Environment.ProcessorCount > 1 ? 2 : 1;
            var parts = new Dictionary<int[], Shape>[halves];
            var size = (Items.Count + halves - 1) / halves;
            Parallel.For(0, halves, new ParallelOptions { MaxDegreeOfParallelism = halves },
                h => parts[h] = Tokenize(h * size, Math.Min(Items.Count, (h + 1) * size)));
            var byWords = parts[0];
            foreach (var part in parts.Skip(1))
            {
                foreach (var (words, shape) in part)
                {
                    if (byWords.TryGetValue(words, out var same))
                    {
                        same.Items.AddRange(shape.Items);
                        foreach (var i in shape.Items)
                        {
                            _shapeOf[i] = same;
                        }
                    }
                    else
                    {
                        byWords[words] = shape;
                    }
                }
            }
            Shapes = [.. byWords.Values];
            foreach (var shape in Shapes)
            {
                // Items are offered best first: by evidence number, then position.
                shape.Items.Sort((x, y) => Items[x].Number != Items[y].Number ? Items[x].Number.CompareTo(Items[y].Number) : x.CompareTo(y));
            }

            Dictionary<int[], Shape> Tokenize(int from, int to)
            {
                var lastItem = new int[_terms.Count];
                System.Array.Fill(lastItem, -1);
                // Log lines repeat most of their tokens (groups, streams, hosts, messages): each distinct token is
                // turned into terms once, and found again by its characters without making a string.
                var byToken = new Dictionary<string, int[]>(StringComparer.Ordinal);
                var tokens = byToken.GetAlternateLookup<ReadOnlySpan<char>>();
                var byWords = new Dictionary<int[], Shape>(WordsComparer.Instance);
                var shapes = byWords.GetAlternateLookup<ReadOnlySpan<int>>();
                var found = new HashSet<string>(StringComparer.Ordinal);
                var itemWords = new List<int>();
                for (var i = from; i < to; i++)
                {
                    var e = Items[i];
                    itemWords.Clear();
                    AddText(e.Title, i);
                    AddText(e.Content, i);
                    AddText(e.Source, i);
                    foreach (var value in e.Attributes.Values)
                    {
                        AddText(value, i);
                    }
                    var words = CollectionsMarshal.AsSpan(itemWords);
                    words.Sort();
                    if (!shapes.TryGetValue(words, out var shape))
                    {
                        shape = new Shape(words.ToArray(), []);
                        byWords[shape.Words] = shape;
                    }
                    shape.Items.Add(i);
                    _shapeOf[i] = shape;
                }
                return byWords;

                void AddText(string? text, int item)
                {
                    if (string.IsNullOrEmpty(text))
                    {
                        return;
                    }
                    for (var at = 0; NextToken(text, ref at, out var start);)
                    {
                        var token = text.AsSpan(start, at - start);
                        if (IsNumber(token))
                        {
                            // A number's only term is itself (three digits or more); ids and counters are
                            // mostly unique, so they are looked up directly rather than remembered.
                            if (token.Length >= 3 && ids.TryGetValue(token, out var id))
                            {
                                Add(id, item);
                            }
                            continue;
                        }
                        if (!tokens.TryGetValue(token, out var termIds))
                        {
                            // Every term of a token is a piece of it: one holding no wanted word anywhere (an id, a
                            // timestamp, a number with a unit) can have no wanted term, and is not worth remembering.
                            if (!token.ContainsAny(anyWanted))
                            {
                                continue;
                            }
                            found.Clear();
                            var raw = token.ToString();
                            AddTerms(found, raw);
                            termIds = [.. found.Where(_ids.ContainsKey).Select(t => _ids[t])];
                            byToken[raw] = termIds;
                        }
                        foreach (var id in termIds)
                        {
                            Add(id, item);
                        }
                    }
                }

                void Add(int id, int item)
                {
                    // Each item holds a word once however often it appears.
                    if (lastItem[id] != item)
                    {
                        lastItem[id] = item;
                        itemWords.Add(id);
                    }
                }
            }
        }

        public List<Evidence> Items { get; }

        public IReadOnlyList<Shape> Shapes { get; }

        public int? IdOf(string term) => _ids.TryGetValue(term, out var id) ? id : null;

        /// <summary>Zeroed weights by word number, for one thread's hypotheses: each must zero what it set.</summary>
        public Tally[] NewWeights() => new Tally[_terms.Count];

        public IEnumerable<string> WordsOf(int index) => _shapeOf[index].Words.Select(id => _terms[id]);
    }

    /// <summary>Sets of word numbers compared by content, so a dictionary can find one by a span.</summary>
    private sealed class WordsComparer : IEqualityComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
    {
        public static readonly WordsComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] words) => Hash(words);

        public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<int> alternate) => Hash(alternate);

        public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<int> words)
        {
            var hash = new HashCode();
            hash.AddBytes(MemoryMarshal.AsBytes(words));
            return hash.ToHashCode();
        }
    }

    /// <summary>Accepting a suggestion: the evidence linked as it suggests. A related match has no side, so it is refused.</summary>
    public static Evidence Link(Evidence evidence, EvidenceMatch match) => match.Bearing switch
    {
        Bearing.Supports => evidence with { Supports = [.. evidence.Supports.Union([match.Hypothesis])] },
        Bearing.Refutes => evidence with { Refutes = [.. evidence.Refutes.Union([match.Hypothesis])] },
        _ => throw new InvalidInputException(
            $"{match.Evidence} is related to {match.Hypothesis} but matches neither side of its test: link it yourself with 'incidents evidence link {evidence.IncidentId} {match.Evidence} --supports|--refutes {match.Hypothesis}'"),
    };

    /// <summary>The distinct significant words of some texts, lower-cased: names whole and split, ordinary words of four letters or more.</summary>
    public static HashSet<string> Terms(IEnumerable<string?> texts)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            for (var at = 0; NextToken(text, ref at, out var start);)
            {
                AddTerms(terms, text[start..at]);
            }
        }
        return terms;
    }

    /// <summary>
    /// Finds the next token at or after <paramref name="at"/>: a letter, digit or underscore, optionally
    /// after one slash, then any run of those and <c>. : / -</c> (what <c>/?[A-Za-z0-9_][A-Za-z0-9_.:/\-]*</c>
    /// matches). On success <paramref name="at"/> is the token's end.
    /// </summary>
    private static bool NextToken(string text, ref int at, out int start)
    {
        for (var i = at; i < text.Length; i++)
        {
            var c = text[i];
            if (IsWordChar(c) || (c == '/' && i + 1 < text.Length && IsWordChar(text[i + 1])))
            {
                start = i;
                var end = i + 1;
                while (end < text.Length && (IsWordChar(text[end]) || text[end] is '.' or ':' or '/' or '-'))
                {
                    end++;
                }
                at = end;
                return true;
            }
        }
        start = at = text.Length;
        return false;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsNumber(ReadOnlySpan<char> token) => !token.ContainsAnyExceptInRange('0', '9');

    /// <summary>The terms of one token found by <see cref="NextToken"/>.</summary>
    private static void AddTerms(HashSet<string> terms, string value)
    {
        var token = value.TrimEnd('.', ':', '-', '/').ToLowerInvariant();
        if (IsName(value) && token.Length >= 3)
        {
            terms.Add(token);
            // Path segments and host:port halves are names too: /ecs/hokusai-api → hokusai-api.
            foreach (var segment in token.Split(['/', ':'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (segment != token && segment.IndexOfAny(['-', '.', '_']) > 0)
                {
                    terms.Add(segment.Trim('.', '-'));
                }
            }
            foreach (var part in Splitter().Split(token))
            {
                AddWord(terms, part);
            }
        }
        else
        {
            AddWord(terms, token);
        }
    }

    private static void AddWord(HashSet<string> terms, string word)
    {
        if (word.Length >= 4 && !StopWords.Contains(word) && !word.All(char.IsDigit))
        {
            terms.Add(word);
        }
        else if (word.Length >= 3 && word.All(char.IsDigit))
        {
            // Status codes and ports: 504, 5000.
            terms.Add(word);
        }
    }

    /// <summary>A path, host, IP, count (0/1), number, or CamelCase error name: something typed, not prose.</summary>
    private static bool IsName(string token) =>
        token.IndexOfAny(['/', '.', ':', '_']) > 0 || token.StartsWith('/') || token.Any(char.IsDigit)
        || (token.Skip(1).Any(char.IsUpper) && token.Any(char.IsLower));

    /// <summary>Terms are lower-cased, so an error name is known by its ending.</summary>
    private static int Weight(string term) =>
        term.IndexOfAny(['/', '.', ':', '_', '-']) >= 0 || term.Any(char.IsDigit)
        || term.EndsWith("error", StringComparison.Ordinal) || term.EndsWith("exception", StringComparison.Ordinal)
            ? NameWeight
            : 1;

    /// <summary>"stopped task: task abc STOPPED …": a title alone ("stopped task") says too little.</summary>
    private static string Summary(Evidence e)
    {
        var line = e.Content.Split('\n', 2)[0].Trim();
        return string.IsNullOrWhiteSpace(e.Title) || e.Title == line ? line : $"{e.Title.Split('\n', 2)[0].Trim()}: {line}";
    }

    private static string Clip(string text) => text.Length <= 100 ? text : text[..97] + "…";

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "that", "this", "with", "from", "will", "would", "should", "could", "have", "been", "were", "when", "then", "than",
        "there", "their", "they", "what", "which", "while", "into", "onto", "only", "also", "does", "doesn", "isn't",
        "some", "such", "each", "more", "most", "other", "over", "under", "after", "before", "because", "about",
        "shows", "show", "check", "test", "true", "false", "expected", "still", "both", "same", "just", "like",
        "https", "http", "your", "them", "these", "those", "here", "where", "once", "very", "must",
    };

    [GeneratedRegex(@"[/.:_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Splitter();
}
