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

    public static IReadOnlyList<EvidenceMatch> Suggest(Incident incident, Hypothesis hypothesis, IEnumerable<Evidence> evidence, int limit = 10) =>
        Suggest(hypothesis, new EvidenceWords(evidence), limit);

    /// <summary>The strongest suggestions for each open hypothesis, for <c>show</c> and the investigation document.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<EvidenceMatch>> ForOpenHypotheses(Incident incident, IReadOnlyCollection<Evidence> evidence, int perHypothesis = 3)
    {
        var open = incident.Hypotheses.Where(h => h.Status == HypothesisStatus.Open).ToList();
        if (open.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<EvidenceMatch>>(StringComparer.Ordinal);
        }
        // Each piece of evidence is split into words once for all hypotheses: a hundred hypotheses over ten
        // thousand log lines re-tokenised every line per hypothesis, seconds of a render.
        var words = new EvidenceWords(evidence);
        return open
            .Select(h => (h.Key, Matches: Suggest(h, words, perHypothesis)))
            .Where(x => x.Matches.Count > 0)
            .ToDictionary(x => x.Key, x => x.Matches, StringComparer.Ordinal);
    }

    private static IReadOnlyList<EvidenceMatch> Suggest(Hypothesis hypothesis, EvidenceWords evidence, int limit)
    {
        var ifTrue = Terms([hypothesis.TestMethod.ExpectedIfTrue, .. hypothesis.SupportingEvidence]);
        var ifFalse = Terms([hypothesis.TestMethod.ExpectedIfFalse, .. hypothesis.EvidenceAgainst]);
        var about = Terms([hypothesis.Title, hypothesis.Description, hypothesis.WhyItCausesTheBug, hypothesis.QuickFixTest,
            .. hypothesis.TestMethod.Steps, .. hypothesis.Commands.Select(c => c.Code)]);
        var onlyTrue = ifTrue.Except(ifFalse).ToHashSet(StringComparer.Ordinal);
        var onlyFalse = ifFalse.Except(ifTrue).ToHashSet(StringComparer.Ordinal);
        var all = about.Union(ifTrue).Union(ifFalse).ToHashSet(StringComparer.Ordinal);
        if (all.Count == 0)
        {
            return [];
        }
        // Only evidence sharing a word with the hypothesis can match: add up each one's score through the word
        // index, then keep the strongest few; a hundred hypotheses over ten thousand log lines stay cheap.
        var n = evidence.Items.Count;
        var score = new int[n];
        var forTrue = new int[n];
        var forFalse = new int[n];
        var touched = new List<int>();
        foreach (var term in all)
        {
            var weight = Weight(term);
            var isTrue = onlyTrue.Contains(term);
            var isFalse = onlyFalse.Contains(term);
            foreach (var index in evidence.Holding(term))
            {
                if (score[index] == 0)
                {
                    touched.Add(index);
                }
                score[index] += weight;
                forTrue[index] += isTrue ? weight : 0;
                forFalse[index] += isFalse ? weight : 0;
            }
        }
        // Strongest first; a side of the test beats a shared name of the same score; then evidence order.
        int Compare((int Index, Bearing Bearing) x, (int Index, Bearing Bearing) y)
        {
            var c = score[y.Index].CompareTo(score[x.Index]);
            c = c != 0 ? c : (x.Bearing == Bearing.Related ? 1 : 0).CompareTo(y.Bearing == Bearing.Related ? 1 : 0);
            c = c != 0 ? c : evidence.Items[x.Index].Number.CompareTo(evidence.Items[y.Index].Number);
            return c != 0 ? c : x.Index.CompareTo(y.Index);
        }
        var best = new List<(int Index, Bearing Bearing)>(limit + 1);
        foreach (var index in touched)
        {
            var e = evidence.Items[index];
            if (score[index] < MinimumScore || e.Supports.Contains(hypothesis.Key) || e.Refutes.Contains(hypothesis.Key))
            {
                continue;
            }
            var bearing = forTrue[index] > forFalse[index] ? Bearing.Supports : forFalse[index] > forTrue[index] ? Bearing.Refutes : Bearing.Related;
            var at = best.Count;
            while (at > 0 && Compare((index, bearing), best[at - 1]) < 0)
            {
                at--;
            }
            if (at < limit)
            {
                best.Insert(at, (index, bearing));
                if (best.Count > limit)
                {
                    best.RemoveAt(limit);
                }
            }
        }
        return [.. best.Select(b =>
        {
            var e = evidence.Items[b.Index];
            var words = evidence.WordsOf(b.Index).Where(all.Contains).OrderByDescending(Weight).ThenBy(w => w, StringComparer.Ordinal);
            return new EvidenceMatch(hypothesis.Key, e.Key, b.Bearing, score[b.Index], [.. words], Clip(Summary(e)));
        })];
    }

    /// <summary>Evidence with the words of each item indexed once: which items hold a word.</summary>
    private sealed class EvidenceWords
    {
        private readonly Dictionary<string, List<int>> _holders = new(StringComparer.Ordinal);
        private readonly HashSet<string>[] _words;

        public EvidenceWords(IEnumerable<Evidence> evidence)
        {
            Items = [.. evidence];
            _words = new HashSet<string>[Items.Count];
            for (var i = 0; i < Items.Count; i++)
            {
                var e = Items[i];
                _words[i] = Terms([e.Title, e.Content, e.Source, .. e.Attributes.Values]);
                foreach (var word in _words[i])
                {
                    if (!_holders.TryGetValue(word, out var list))
                    {
                        _holders[word] = list = [];
                    }
                    list.Add(i);
                }
            }
        }

        public List<Evidence> Items { get; }

        public IReadOnlySet<string> WordsOf(int index) => _words[index];

        public IReadOnlyList<int> Holding(string word) => _holders.TryGetValue(word, out var list) ? list : [];
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
            foreach (Match m in Token().Matches(text))
            {
                var token = m.Value.TrimEnd('.', ':', '-', '/').ToLowerInvariant();
                if (IsName(m.Value) && token.Length >= 3)
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
        }
        return terms;
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

    [GeneratedRegex(@"/?[A-Za-z0-9_][A-Za-z0-9_.:/\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [GeneratedRegex(@"[/.:_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Splitter();
}
