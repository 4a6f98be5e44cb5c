using System.Globalization;
using System.Text;
using Lucene.Net.Documents;

namespace Hokusai.Incidents.Search;

/// <summary>
/// Turns one incident into index documents: one for the incident itself and one per hypothesis
/// (refuted ones too), task, timeline entry and note, and one per block of evidence. Every document
/// carries the incident's id, title and filter fields, so a hit needs nothing else to be shown or filtered.
/// </summary>
internal static class IncidentDocuments
{
    /// <summary>
    /// Evidence of one kind, source, log stream and title is indexed in blocks of up to this many
    /// items: a million log events then cost a million short field values rather than a million
    /// documents with a dozen fields each (index size, attach time, and a query's postings to walk).
    /// </summary>
    internal const int BlockItems = 32;

    /// <summary>
    /// A block of several items holds at most this many characters of indexed text (each item's title
    /// and text); an item this long or longer is a block of its own. <see cref="TechnicalAnalyzer.ValueGap"/>
    /// depends on it.
    /// </summary>
    internal const int BlockChars = 8_000;

    /// <summary>Stored text kept per document for snippets; the indexed text is not cut.</summary>
    private const int StoredBodyLimit = 16_000;
    /// <summary>How much evidence text goes into the incident's similarity profile.</summary>
    internal const int DigestLimit = 8_000;
    private const int DigestItemLimit = 400;

    private static readonly FieldType ProfileType = new(TextField.TYPE_STORED)
    {
        StoreTermVectors = true,
    };

    /// <summary>Started time, for --since; a coarse precision step keeps each document to four terms.</summary>
    internal const int StartedPrecisionStep = 16;

    private static readonly FieldType StartedType = new(Int64Field.TYPE_NOT_STORED)
    {
        NumericPrecisionStep = StartedPrecisionStep,
    };

    /// <summary>
    /// Attributes nobody searches by (opaque ids and times) or that repeat the evidence source:
    /// leaving them out keeps a million log events quick to index.
    /// </summary>
    private static readonly HashSet<string> Unsearched =
    [
        EvidenceAttributes.EventId, EvidenceAttributes.IngestionTime, EvidenceAttributes.LogGroup, EvidenceAttributes.LogStream,
    ];

    static IncidentDocuments()
    {
        ProfileType.Freeze();
        StartedType.Freeze();
    }

    /// <summary>Documents for everything but evidence.</summary>
    public static IEnumerable<Document> ForIncident(Incident i, long evidenceCount, long evidenceMax, string evidenceDigest)
    {
        var main = Item(i, IndexSchema.IncidentKind, "incident", i.Title, IncidentText(i));
        main.Add(new Field(IndexSchema.Profile, Profile(i, evidenceDigest), ProfileType));
        main.Add(new StoredField(IndexSchema.Revision, i.Revision));
        main.Add(new StoredField(IndexSchema.EvidenceCount, evidenceCount));
        main.Add(new StoredField(IndexSchema.EvidenceMax, evidenceMax));
        main.Add(new StoredField(IndexSchema.EvidenceDigest, evidenceDigest));
        yield return main;

        foreach (var h in i.Hypotheses)
        {
            var doc = Item(i, IndexSchema.HypothesisKind, h.Key, h.Title, HypothesisText(h));
            doc.Add(new StringField(IndexSchema.State, Vocabulary.Word(h.Status), Field.Store.NO));
            yield return doc;
        }
        foreach (var t in i.Tasks)
        {
            var text = Join(t.Group, t.Section, t.Owner, t.Done ? "done" : "open", Vocabulary.Label(t.Priority));
            var doc = Item(i, IndexSchema.TaskKind, t.Key, t.Title, text);
            doc.Add(new StringField(IndexSchema.State, t.Done ? "done" : "open", Field.Store.NO));
            yield return doc;
        }
        foreach (var e in i.Timeline)
        {
            yield return Item(i, IndexSchema.TimelineKind, TimeInput.Format(e.At), null,
                Join(e.Text, Vocabulary.Word(e.Kind), string.Join(' ', e.Evidence)));
        }
        var n = 0;
        foreach (var note in i.Notes)
        {
            n++;
            yield return Item(i, IndexSchema.NoteKind, $"note {n}", note.HeadingPath, Join(note.Text, note.Source));
        }
    }

    /// <summary>
    /// Documents for evidence, in blocks: items of one kind, source, log stream and title go into one
    /// document, in number order, each as its own value of the text field (values sit far apart, so
    /// a phrase never runs from one item into the next), with its number and text stored beside it so
    /// a hit on the block can name the item that matched. Blocks never reach across calls: evidence
    /// added later starts new blocks.
    /// </summary>
    public static IEnumerable<Document> ForEvidence(Incident i, IEnumerable<Evidence> evidence)
    {
        var open = new Dictionary<BlockKey, EvidenceBlock>();
        foreach (var e in evidence)
        {
            var text = EvidenceText(e);
            var key = new BlockKey(e.Kind, e.Source, e.Attributes.GetValueOrDefault(EvidenceAttributes.LogStream), e.Title);
            // The title is indexed with every item, so it counts towards the block's size.
            var chars = text.Length + (string.IsNullOrWhiteSpace(e.Title) ? 0 : e.Title.Length + 1);
            if (chars >= BlockChars)
            {
                yield return Block(i, key, [(e.Number, text)]);
                continue;
            }
            if (open.TryGetValue(key, out var block) && block.Chars + chars > BlockChars)
            {
                // Closed before it would grow past BlockChars: TechnicalAnalyzer.ValueGap relies on it.
                open.Remove(key);
                yield return Block(i, key, block.Items);
                block = null;
            }
            if (block is null)
            {
                block = new EvidenceBlock();
                open[key] = block;
            }
            block.Items.Add((e.Number, text));
            block.Chars += chars;
            if (block.Items.Count >= BlockItems)
            {
                open.Remove(key);
                yield return Block(i, key, block.Items);
            }
        }
        foreach (var (key, block) in open.OrderBy(b => b.Value.Items[0].Number))
        {
            yield return Block(i, key, block.Items);
        }
    }

    /// <summary>What of a piece of evidence is searched (its title aside): content, attributes, kind and links.</summary>
    private static string EvidenceText(Evidence e)
    {
        var attributes = e.Attributes.Where(a => !Unsearched.Contains(a.Key)).Select(a => a.Value);
        return Join(e.Content, string.Join(' ', attributes), Vocabulary.Word(e.Kind),
            Links("supports", e.Supports), Links("refutes", e.Refutes));
    }

    private static Document Block(Incident i, BlockKey key, List<(long Number, string Text)> items)
    {
        var doc = Common(i, IndexSchema.EvidenceKind);
        // Stored, unlike on other documents: telling which item of a block matched needs every field it has.
        foreach (var s in i.Components.Services)
        {
            doc.Add(new StoredField(IndexSchema.Service, s.ToLowerInvariant()));
        }
        if (!string.IsNullOrWhiteSpace(key.Title))
        {
            doc.Add(new TextField(IndexSchema.Title, key.Title, Field.Store.YES));
        }
        if (key.Source is { } source)
        {
            doc.Add(new TextField(IndexSchema.Source, source, Field.Store.YES));
        }
        foreach (var (number, text) in items)
        {
            doc.Add(new StringField(IndexSchema.Item, "e" + number.ToString(CultureInfo.InvariantCulture), Field.Store.NO));
            doc.Add(new TextField(IndexSchema.Text, Join(key.Title, text), Field.Store.NO));
            doc.Add(new StoredField(IndexSchema.Number, number));
            doc.Add(new StoredField(IndexSchema.Body, text.Length > StoredBodyLimit ? text[..StoredBodyLimit] : text));
        }
        doc.Add(new NumericDocValuesField(IndexSchema.ItemCount, items.Count));
        return doc;
    }

    private readonly record struct BlockKey(EvidenceKind Kind, string? Source, string? Stream, string? Title);

    private sealed class EvidenceBlock
    {
        public List<(long Number, string Text)> Items { get; } = [];
        public int Chars { get; set; }
    }

    /// <summary>What a piece of evidence adds to the incident's similarity profile.</summary>
    public static string DigestOf(Evidence e)
    {
        var text = Join(e.Title, e.Attributes.TryGetValue(EvidenceAttributes.Error, out var err) ? err : null, e.Content);
        return text.Length > DigestItemLimit ? text[..DigestItemLimit] : text;
    }

    private static Document Item(Incident i, string kind, string label, string? title, string text)
    {
        var doc = Common(i, kind);
        doc.Add(new StringField(IndexSchema.Item, label.ToLowerInvariant(), Field.Store.NO));
        doc.Add(new StoredField(IndexSchema.ItemLabel, label));
        if (!string.IsNullOrWhiteSpace(title))
        {
            doc.Add(new TextField(IndexSchema.Title, title, Field.Store.YES));
        }
        doc.Add(new TextField(IndexSchema.Text, Join(title, text), Field.Store.NO));
        doc.Add(new StoredField(IndexSchema.Body, text.Length > StoredBodyLimit ? text[..StoredBodyLimit] : text));
        return doc;
    }

    /// <summary>The fields every document has: the incident's id, title and filter fields, and the item's kind.</summary>
    private static Document Common(Incident i, string kind)
    {
        var doc = new Document
        {
            new StringField(IndexSchema.Incident, i.Id, Field.Store.YES),
            new StoredField(IndexSchema.IncidentTitle, i.Title),
            new StringField(IndexSchema.Kind, kind, Field.Store.YES),
            new StringField(IndexSchema.Severity, Vocabulary.Label(i.Severity).ToLowerInvariant(), Field.Store.YES),
            new StringField(IndexSchema.Status, Vocabulary.Word(i.Status), Field.Store.YES),
            new Int64Field(IndexSchema.Started, (i.Times.Started ?? i.CreatedAt).ToUnixTimeMilliseconds(), StartedType),
        };
        foreach (var s in i.Components.Services)
        {
            doc.Add(new StringField(IndexSchema.Service, s.ToLowerInvariant(), Field.Store.NO));
        }
        return doc;
    }

    private static string IncidentText(Incident i)
    {
        var b = new StringBuilder();
        void Add(string? s)
        {
            if (!string.IsNullOrWhiteSpace(s))
            {
                b.Append(s).Append('\n');
            }
        }
        void AddAll(IEnumerable<string> items)
        {
            foreach (var s in items)
            {
                Add(s);
            }
        }
        Add(i.Summary);
        AddAll(i.ErrorMessages);
        Add(i.RootCause);
        Add(i.Trigger);
        Add(i.TechnicalExplanation);
        Add(i.Solution);
        Add(i.BusinessImpact);
        Add(i.AffectedUsers);
        Add(i.Environment);
        AddAll(i.Components.All);
        AddAll(i.RecentChanges);
        AddAll(i.Tags);
        Add(i.FailurePattern);
        Add(i.Correlation);
        AddAll(i.PreviousFixAttempts);
        AddAll(i.Reproduction.EnvironmentRequired);
        AddAll(i.Reproduction.Steps);
        Add(i.Reproduction.Variations);
        AddAll(i.Investigation.DataToAnalyse.SelectMany(l => l.Items.Prepend(l.Label)));
        AddAll(i.Investigation.PriorityOrder);
        AddAll(i.Investigation.KeyQuestions);
        AddAll(i.Investigation.Goals);
        AddAll(i.RiskAssessment.SelectMany(l => l.Items.Prepend(l.Label)));
        AddAll(i.RelatedCode.Select(c => Join(c.File, c.Issue, c.Snippet?.Code)));
        AddAll(i.CurrentState.Select(c => Join(c.Component, Vocabulary.Word(c.Health), c.Detail)));
        AddAll(i.DirectImpact);
        AddAll(i.CascadeEffects);
        AddAll(i.ContributingFactors);
        AddAll(i.WentWell);
        AddAll(i.WentWrong);
        AddAll(i.GotLucky);
        AddAll(i.Lessons);
        AddAll(i.TaskSequence);
        AddAll(i.RollbackPlan.Select(c => c.Text));
        AddAll(i.SuccessCriteria.Select(c => c.Text));
        AddAll(i.SimilarPastIssues);
        return b.ToString();
    }

    private static string HypothesisText(Hypothesis h) => Join(
        h.Description,
        h.Category,
        h.WhyItCausesTheBug,
        string.Join('\n', h.SupportingEvidence),
        string.Join('\n', h.EvidenceAgainst),
        string.Join('\n', h.TestMethod.Steps),
        h.TestMethod.ExpectedIfTrue,
        h.TestMethod.ExpectedIfFalse,
        string.Join('\n', h.Commands.Select(c => c.Code)),
        h.QuickFixTest,
        Vocabulary.Word(h.Status),
        h.Outcome,
        string.Join('\n', h.History.Select(c => c.Note).OfType<string>()),
        h.Confidence is { } c ? string.Create(CultureInfo.InvariantCulture, $"confidence {c}%") : null);

    /// <summary>What makes incidents alike: title, summary, errors, components, causes, hypotheses and evidence.</summary>
    private static string Profile(Incident i, string evidenceDigest) => Join(
        i.Title,
        i.Summary,
        string.Join('\n', i.ErrorMessages),
        string.Join('\n', i.Components.All),
        i.RootCause,
        i.Trigger,
        i.TechnicalExplanation,
        string.Join('\n', i.Tags),
        string.Join('\n', i.Hypotheses.Select(h => Join(h.Title, h.Description, h.Category))),
        evidenceDigest);

    private static string Links(string word, IReadOnlyList<string> keys) => keys.Count == 0 ? "" : word + " " + string.Join(' ', keys);

    private static string Join(params string?[] parts) =>
        string.Join('\n', parts.Where(p => !string.IsNullOrWhiteSpace(p)));
}
