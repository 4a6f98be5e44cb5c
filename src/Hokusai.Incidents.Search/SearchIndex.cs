using System.Globalization;
using System.Text;
using Hokusai.Incidents.Storage;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Queries.Mlt;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Hokusai.Incidents.Search;

/// <summary>
/// The full-text index of the knowledge base, a Lucene index in a directory beside the database.
/// The store stays the system of record: the index records the store's change sequence it reflects
/// (in its commit data) and is rebuilt whenever it is missing, of another schema or behind.
/// </summary>
public sealed class SearchIndex : IDisposable
{
    private readonly LuceneDirectory _directory;
    private readonly TechnicalAnalyzer _analyzer = new();
    private readonly TechnicalAnalyzer _indexAnalyzer = new(originalForms: true);
    private IndexWriter? _writer;
    private DirectoryReader? _reader;

    private SearchIndex(string location, LuceneDirectory directory)
    {
        Location = location;
        _directory = directory;
    }

    public string Location { get; }

    public TechnicalAnalyzer Analyzer => _analyzer;

    /// <summary>Opens (without creating anything yet) the index in <paramref name="directory"/>.</summary>
    public static SearchIndex Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        return new SearchIndex(full, FSDirectory.Open(full));
    }

    /// <summary>Opens the index of a store, rebuilding it first when it is not current; <paramref name="notice"/> gets one line then.</summary>
    public static SearchIndex OpenCurrent(IIncidentStore store, Action<string>? notice = null, IProgress<IndexProgress>? progress = null) =>
        OpenCurrent(store.Location, () => store, notice, progress);

    /// <summary>
    /// Opens the index of the database at <paramref name="databasePath"/>, rebuilding it first when it
    /// is not current. The store is only asked for (and so opened) when the database's files changed
    /// since the index was last seen to be current (see <see cref="StoreStamp"/>).
    /// </summary>
    public static SearchIndex OpenCurrent(string databasePath, Func<IIncidentStore> store, Action<string>? notice = null,
        IProgress<IndexProgress>? progress = null)
    {
        var index = Open(IndexSchema.DirectoryFor(databasePath));
        try
        {
            // Taken before the store's sequence is read: a write after this changes them, never the stamp.
            var files = StoreStamp.Files(databasePath);
            var stamped = files is { } f && StoreStamp.Read(index.Location) is { } stamp && stamp.Database == f.Database && stamp.Log == f.Log
                ? stamp.Sequence
                : (long?)null;
            var check = stamped is { } sequence ? index.Check(sequence) : index.Check(store().ChangeSequence);
            if (check.IsCurrent && index.OpenReader() is { } problem)
            {
                // The commit data is read from the segments file alone; a damaged segment shows here.
                check = check with
                {
                    State = IndexState.Unreadable,
                    Reason = $"search index at {index.Location} could not be read ({problem}); rebuilding it",
                };
            }
            if (!check.IsCurrent)
            {
                notice?.Invoke(check.Reason!);
                index.Rebuild(store(), progress);
            }
            else if (stamped is null && files is { } taken)
            {
                StoreStamp.Write(index.Location, check.StoreSequence, taken);
            }
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Whether the index of a store can be used as it is (no rebuild needed).</summary>
    public static bool IsCurrent(IIncidentStore store) => IsCurrent(store.Location, () => store);

    /// <summary>Whether the index of the database at <paramref name="databasePath"/> can be used as it is; the store is opened only when needed.</summary>
    public static bool IsCurrent(string databasePath, Func<IIncidentStore> store)
    {
        using var index = Open(IndexSchema.DirectoryFor(databasePath));
        var files = StoreStamp.Files(databasePath);
        return files is { } f && StoreStamp.Read(index.Location) is { } stamp && stamp.Database == f.Database && stamp.Log == f.Log
            ? index.Check(stamp.Sequence).IsCurrent
            : index.Check(store().ChangeSequence).IsCurrent;
    }

    /// <summary>
    /// Brings the index up to date after a write to one incident. When the index was one change
    /// behind, that change was this incident's; a bigger gap (a command that wrote several times)
    /// is closed by comparing every incident's revision and evidence count.
    /// </summary>
    public static void IncidentChanged(IIncidentStore store, string incidentId, Action<string>? notice = null)
    {
        var sequence = store.ChangeSequence;
        using var index = Open(IndexSchema.DirectoryFor(store.Location));
        var check = index.Check(sequence);
        if (check.State is IndexState.Missing or IndexState.OtherSchema or IndexState.Unreadable)
        {
            // A first write creating the index is the normal start of a database, not news.
            if (check.State != IndexState.Missing)
            {
                notice?.Invoke(check.Reason!);
            }
            index.Rebuild(store);
            return;
        }
        index.Refresh(store, incidentId);
        if (check.IndexedSequence < sequence - 1)
        {
            index.CatchUp(store);
        }
        index.Commit(sequence);
    }

    /// <summary>
    /// Re-indexes one piece of evidence whose links changed. Refresh only appends evidence numbered
    /// above what it has seen, so a changed item would otherwise keep its old text until a reindex.
    /// </summary>
    public static void EvidenceChanged(IIncidentStore store, string incidentId, long number, Action<string>? notice = null)
    {
        IncidentChanged(store, incidentId, notice);
        var incident = store.Find(incidentId);
        var evidence = store.FindEvidence(incidentId, number);
        if (incident is null || evidence is null)
        {
            return;
        }
        using var index = Open(IndexSchema.DirectoryFor(store.Location));
        index.ReplaceEvidence(store, incident, evidence.Number);
        index.Commit(store.ChangeSequence);
    }

    /// <summary>Indexes afresh the block holding one piece of evidence, with every other item of that block as the store has it now.</summary>
    private void ReplaceEvidence(IIncidentStore store, Incident incident, long number)
    {
        var writer = Writer();
        var holder = new BooleanQuery
        {
            { new TermQuery(new Term(IndexSchema.Incident, incident.Id)), Occur.MUST },
            { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.EvidenceKind)), Occur.MUST },
            { new TermQuery(new Term(IndexSchema.Item, "e" + number.ToString(CultureInfo.InvariantCulture))), Occur.MUST },
        };
        var numbers = new SortedSet<long> { number };
        using (var reader = DirectoryReader.Open(writer, applyAllDeletes: true))
        {
            var searcher = new IndexSearcher(reader);
            foreach (var sd in searcher.Search(holder, 10).ScoreDocs)
            {
                foreach (var field in searcher.Doc(sd.Doc, BlockNumberFields).GetFields(IndexSchema.Number))
                {
                    numbers.Add(field.GetInt64Value() ?? number);
                }
            }
        }
        writer.DeleteDocuments(holder);
        var items = numbers.Select(n => store.FindEvidence(incident.Id, n)).OfType<Evidence>();
        writer.AddDocuments(IncidentDocuments.ForEvidence(incident, items));
    }

    private static readonly ISet<string> BlockNumberFields = new HashSet<string>(StringComparer.Ordinal) { IndexSchema.Number };

    /// <summary>Removes a deleted incident's documents.</summary>
    public static void IncidentDeleted(IIncidentStore store, string incidentId)
    {
        var sequence = store.ChangeSequence;
        using var index = Open(IndexSchema.DirectoryFor(store.Location));
        var check = index.Check(sequence);
        if (check.State is IndexState.Missing or IndexState.OtherSchema or IndexState.Unreadable)
        {
            // Nothing to remove from; the next search builds it.
            return;
        }
        index.Remove(incidentId);
        if (check.IndexedSequence < sequence - 1)
        {
            index.CatchUp(store);
        }
        index.Commit(sequence);
    }

    /// <summary>Compares the index with the store's change sequence and schema.</summary>
    public IndexCheck Check(long storeSequence)
    {
        try
        {
            var exists = DirectoryReader.IndexExists(_directory);
            if (!exists)
            {
                return new IndexCheck(IndexState.Missing, 0, storeSequence,
                    $"search index not found at {Location}; building it from the database");
            }
            var data = ReadCommitData();
            var schema = data.TryGetValue(IndexSchema.SchemaKey, out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : 0;
            var indexed = data.TryGetValue(IndexSchema.SequenceKey, out var q) && long.TryParse(q, CultureInfo.InvariantCulture, out var n) ? n : -1;
            if (schema != IndexSchema.Version)
            {
                return new IndexCheck(IndexState.OtherSchema, indexed, storeSequence,
                    $"search index has schema version {schema}, this version uses {IndexSchema.Version}; rebuilding it");
            }
            if (indexed < storeSequence)
            {
                return new IndexCheck(IndexState.Behind, indexed, storeSequence,
                    $"search index is behind the database (change {indexed} of {storeSequence}); rebuilding it");
            }
            return new IndexCheck(IndexState.Current, indexed, storeSequence, null);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Lucene reports a damaged file in many ways (IOException, CorruptIndexException, and an
            // ArgumentException for a segment cut short); any failure to read means "rebuild".
            return new IndexCheck(IndexState.Unreadable, 0, storeSequence,
                $"search index at {Location} could not be read ({e.Message.ReplaceLineEndings(" ")}); rebuilding it");
        }
    }

    /// <summary>Throws away the index and builds it again from every incident and piece of evidence in the store.</summary>
    public int Rebuild(IIncidentStore store, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        // Read the sequence first: a write racing the rebuild leaves the index marked behind, never ahead.
        var sequence = store.ChangeSequence;
        IndexWriter writer;
        try
        {
            writer = Writer(OpenMode.CREATE);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException and not LockObtainFailedException)
        {
            // Even starting afresh reads the old commit point; a damaged one (any segments_N) is
            // thrown away with the rest, since everything in the index comes from the database.
            _reader?.Dispose();
            _reader = null;
            _writer = null;
            foreach (var file in System.IO.Directory.EnumerateFiles(Location))
            {
                File.Delete(file);
            }
            writer = Writer(OpenMode.CREATE);
        }
        writer.DeleteAll();
        var incidents = store.List();
        var count = 0;
        long evidence = 0;
        progress?.Report(new IndexProgress(0, incidents.Count, 0));
        foreach (var incident in incidents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            evidence += Add(incident, store.ListEvidence(incident.Id));
            count++;
            progress?.Report(new IndexProgress(count, incidents.Count, evidence));
        }
        Commit(sequence);
        return count;
    }

    /// <summary>
    /// Adds an incident with its evidence to an index that does not hold it yet (a rebuild, or a bulk
    /// load such as the benchmark's); call <see cref="Commit"/> after.
    /// </summary>
    /// <returns>How many pieces of evidence were added.</returns>
    public long Add(Incident incident, IEnumerable<Evidence> evidence)
    {
        var writer = Writer();
        var digest = new StringBuilder();
        long count = 0;
        long max = 0;
        IEnumerable<Evidence> Tallied()
        {
            foreach (var e in evidence)
            {
                count++;
                max = Math.Max(max, e.Number);
                AppendDigest(digest, e);
                yield return e;
            }
        }
        foreach (var block in IncidentDocuments.ForEvidence(incident, Tallied()))
        {
            writer.AddDocument(block);
        }
        writer.AddDocuments(IncidentDocuments.ForIncident(incident, count, max, digest.ToString()));
        return count;
    }

    /// <summary>
    /// Re-indexes one incident from the store. Evidence is only ever appended, so only evidence
    /// numbered above the highest one indexed is read into the index; if the count went down the
    /// incident's evidence is indexed afresh.
    /// </summary>
    public void Refresh(IIncidentStore store, string incidentId) =>
        Refresh(store, incidentId, IndexedIncidents(incidentId).GetValueOrDefault(incidentId));

    private void Refresh(IIncidentStore store, string incidentId, IndexedIncident? previous)
    {
        var incident = store.Find(incidentId);
        if (incident is null)
        {
            Remove(incidentId);
            return;
        }
        var writer = Writer();
        writer.DeleteDocuments(ItemsOf(incidentId));
        var count = store.CountEvidence(incidentId);
        if (previous is null || count < previous.EvidenceCount)
        {
            writer.DeleteDocuments(EvidenceOf(incidentId));
            Add(incident, store.ListEvidence(incidentId));
            return;
        }
        var digest = new StringBuilder(previous.Digest);
        var max = previous.EvidenceMax;
        if (count > previous.EvidenceCount)
        {
            IEnumerable<Evidence> Tallied()
            {
                foreach (var e in store.ListEvidence(incidentId, new EvidenceQuery { After = previous.EvidenceMax }))
                {
                    max = Math.Max(max, e.Number);
                    AppendDigest(digest, e);
                    yield return e;
                }
            }
            // The new evidence starts blocks of its own: an earlier block stays as it was indexed.
            foreach (var block in IncidentDocuments.ForEvidence(incident, Tallied()))
            {
                writer.AddDocument(block);
            }
        }
        writer.AddDocuments(IncidentDocuments.ForIncident(incident, count, max, digest.ToString()));
    }

    /// <summary>Deletes every document of an incident.</summary>
    public void Remove(string incidentId) =>
        Writer().DeleteDocuments(new Term(IndexSchema.Incident, incidentId));

    /// <summary>
    /// Re-indexes every incident whose revision or evidence count differs from what the index holds,
    /// and drops incidents the store no longer has.
    /// </summary>
    public int CatchUp(IIncidentStore store)
    {
        var indexed = IndexedIncidents(null);
        var changed = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var incident in store.List())
        {
            present.Add(incident.Id);
            var known = indexed.GetValueOrDefault(incident.Id);
            if (known is null || known.Revision != incident.Revision || known.EvidenceCount != store.CountEvidence(incident.Id))
            {
                Refresh(store, incident.Id, known);
                changed++;
            }
        }
        foreach (var gone in indexed.Keys.Where(id => !present.Contains(id)))
        {
            Remove(gone);
            changed++;
        }
        return changed;
    }

    /// <summary>
    /// Writes the documents buffered so far out as a segment, not yet durable. A bulk writer calls it
    /// between batches on its own thread, so the final <see cref="Commit"/> has little left to write.
    /// </summary>
    public void Flush() => _writer?.Flush(triggerMerge: true, applyAllDeletes: false);

    /// <summary>Makes pending changes durable, recording the store change sequence they reflect.</summary>
    public void Commit(long changeSequence)
    {
        var writer = Writer();
        writer.SetCommitData(new Dictionary<string, string>
        {
            [IndexSchema.SchemaKey] = IndexSchema.Version.ToString(CultureInfo.InvariantCulture),
            [IndexSchema.SequenceKey] = changeSequence.ToString(CultureInfo.InvariantCulture),
        });
        writer.Commit();
        _reader?.Dispose();
        _reader = null;
    }

    /// <summary>BM25-ranked items matching the query and filters.</summary>
    public SearchResults Search(SearchRequest request)
    {
        if (request.Limit < 1)
        {
            throw new InvalidInputException($"invalid limit '{request.Limit}': give a number of hits from 1 up");
        }
        var kind = request.Kind is { } k ? IndexSchema.ParseKind(k) : null;
        var searcher = Searcher();
        var filter = Filter(request, kind) is { } f ? new QueryWrapperFilter(f) : null;
        var query = SearchQueryParser.Parse(request.Query, _analyzer, request.AnyWord);
        var (hits, total) = Hits(searcher, query, filter, request.Limit);
        var match = request.AnyWord ? SearchResults.AnyWord : SearchResults.AllWords;
        if (hits.Count == 0 && !request.AnyWord)
        {
            // Requiring every word is what makes a search precise, and quick over millions of log
            // lines; when no item has them all, the items with most of them are the next best answer.
            var any = SearchQueryParser.Parse(request.Query, _analyzer, anyWord: true);
            if (!any.Equals(query))
            {
                (hits, total) = Hits(searcher, any, filter, request.Limit);
                match = SearchResults.AnyWord;
            }
        }
        return new SearchResults(request.Query, total, hits, match);
    }

    /// <summary>
    /// How many items' worth of evidence blocks one search judges item by item at most: a query whose
    /// words all occur in many blocks but never in one item would otherwise be judged over every block.
    /// </summary>
    private const int MaxItemsJudged = 20_000;

    /// <summary>
    /// The best hits, a block's matching items each named as its own hit (with the block's score),
    /// and the total: matching documents, less the blocks seen to hold no matching item.
    /// </summary>
    private (List<SearchHit> Hits, int Total) Hits(IndexSearcher searcher, Query query, Filter? filter, int limit)
    {
        // Snippets see words as written too, so a prefix query marks the words it found.
        var snippets = new Snippets(query, _indexAnalyzer);
        var matcher = new BlockItemMatcher(query, _indexAnalyzer);
        var leaves = searcher.IndexReader.Leaves;
        var hits = new List<SearchHit>();
        var top = searcher.Search(query, filter, limit);
        var total = top.TotalHits;
        var seen = 0;
        var judged = 0;
        while (true)
        {
            foreach (var sd in top.ScoreDocs)
            {
                seen++;
                // Where the query's words sit tells which items can match, before any stored text is read.
                var leaf = leaves[ReaderUtil.SubIndex(sd.Doc, leaves)];
                var candidates = matcher.Candidates(leaf.AtomicReader, sd.Doc - leaf.DocBase);
                if (candidates is { Count: 0 })
                {
                    total--;
                    continue;
                }
                var doc = searcher.Doc(sd.Doc, HitFields);
                var numbers = doc.GetFields(IndexSchema.Number);
                var title = doc.Get(IndexSchema.Title);
                if (numbers.Length == 0)
                {
                    hits.Add(Hit(doc, doc.Get(IndexSchema.ItemLabel), title, doc.Get(IndexSchema.Body) ?? "", sd.Score, snippets));
                }
                else
                {
                    var bodies = doc.GetValues(IndexSchema.Body);
                    var found = false;
                    for (var k = 0; k < numbers.Length && hits.Count < limit; k++)
                    {
                        var number = numbers[k].GetInt64Value() ?? 0;
                        // A block of one item matched by that item alone.
                        if (numbers.Length > 1)
                        {
                            if (candidates is not null && !candidates.Contains(k))
                            {
                                continue;
                            }
                            judged++;
                            if (!matcher.Matches(doc, number, bodies[k]))
                            {
                                continue;
                            }
                        }
                        found = true;
                        hits.Add(Hit(doc, "E" + number.ToString(CultureInfo.InvariantCulture), title, bodies[k], sd.Score, snippets));
                    }
                    if (!found && hits.Count < limit)
                    {
                        total--;
                    }
                }
                if (hits.Count >= limit)
                {
                    return (hits, total);
                }
            }
            if (seen >= top.TotalHits || top.ScoreDocs.Length == 0 || judged >= MaxItemsJudged)
            {
                return (hits, total);
            }
            // Some blocks held no item matching by itself: read on past them, taking twice as many each time.
            top = searcher.SearchAfter(top.ScoreDocs[^1], query, filter, Math.Max(limit, seen));
        }
    }

    private static SearchHit Hit(Document doc, string item, string? title, string body, float score, Snippets snippets) => new(
        doc.Get(IndexSchema.Incident),
        doc.Get(IndexSchema.IncidentTitle),
        doc.Get(IndexSchema.Kind),
        item,
        title,
        snippets.Make(title is null ? body : title + "\n" + body),
        Math.Round(score, 4),
        doc.Get(IndexSchema.Severity).ToUpperInvariant(),
        doc.Get(IndexSchema.Status));

    /// <summary>
    /// Past incidents most like this one by title, summary, error messages, components, causes,
    /// hypotheses and evidence (Lucene's MoreLikeThis over each incident's profile), with the
    /// terms each shares with it as they are written in this incident.
    /// </summary>
    public IReadOnlyList<SimilarIncidentMatch> SimilarIncidents(string incidentId, int limit = 5)
    {
        if (limit < 1)
        {
            throw new InvalidInputException($"invalid limit '{limit}': give a number of incidents from 1 up");
        }
        var searcher = Searcher();
        var reader = searcher.IndexReader;
        var own = searcher.Search(IncidentDocument(incidentId), 1).ScoreDocs;
        if (own.Length == 0)
        {
            throw new NotFoundException($"unknown incident '{incidentId}' (see 'incidents list')");
        }
        var mlt = new MoreLikeThis(reader)
        {
            Analyzer = _analyzer,
            FieldNames = [IndexSchema.Profile],
            MinTermFreq = 1,
            MinDocFreq = 1,
            MinWordLen = 2,
            MaxQueryTerms = 40,
            StopWords = StopWords,
        };
        // Terms in most incidents say nothing about likeness (every outage has an "error").
        mlt.SetMaxDocFreqPct(60);
        // Like and RetrieveInterestingTerms each analyse the whole profile (hundreds of kilobytes for a large
        // incident) and look up every word's document frequency: the terms are worked out once here, and the
        // query is the one Like makes of them (its first MaxQueryTerms, unboosted, each one should match).
        var profile = searcher.Doc(own[0].Doc).Get(IndexSchema.Profile) ?? "";
        var ranked = mlt.RetrieveTerms(new StringReader(profile), IndexSchema.Profile);
        var interesting = new List<string>(mlt.MaxQueryTerms);
        var like = new BooleanQuery();
        while (interesting.Count < mlt.MaxQueryTerms && ranked.Pop() is { } best)
        {
            interesting.Add(best.Word);
            like.Add(new TermQuery(new Term(best.TopField, best.Word)), Occur.SHOULD);
        }
        var query = new BooleanQuery
        {
            { like, Occur.MUST },
            { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.IncidentKind)), Occur.MUST },
            { new TermQuery(new Term(IndexSchema.Incident, incidentId)), Occur.MUST_NOT },
        };
        // How this incident writes the shared terms, worked out only when some incident is like it.
        Dictionary<string, string>? surface = null;
        var matches = new List<SimilarIncidentMatch>();
        foreach (var sd in searcher.Search(query, limit).ScoreDocs)
        {
            surface ??= SurfaceForms(profile);
            var doc = searcher.Doc(sd.Doc);
            var theirs = TermsOf(reader, sd.Doc);
            var shared = interesting.Where(theirs.Contains)
                .Select(t => surface.GetValueOrDefault(t, t))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            matches.Add(new SimilarIncidentMatch(doc.Get(IndexSchema.Incident), doc.Get(IndexSchema.IncidentTitle), Math.Round(sd.Score, 4), shared));
        }
        return matches;
    }

    /// <summary>Similar incidents straight from a store, rebuilding the index first if it is not current.</summary>
    public static IReadOnlyList<SimilarIncidentMatch> SimilarIncidents(IIncidentStore store, string incidentId, int limit = 5,
        Action<string>? notice = null, IProgress<IndexProgress>? progress = null)
    {
        using var index = OpenCurrent(store, notice, progress);
        return index.SimilarIncidents(incidentId, limit);
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _writer?.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
        _indexAnalyzer.Dispose();
    }

    /// <summary>
    /// The stored fields a hit shows. An incident document also stores its similarity profile and
    /// evidence digest (kilobytes each); decoding those for every hit was wasted work.
    /// </summary>
    private static readonly ISet<string> HitFields = new HashSet<string>(StringComparer.Ordinal)
    {
        IndexSchema.Incident, IndexSchema.IncidentTitle, IndexSchema.Kind, IndexSchema.ItemLabel, IndexSchema.Title,
        IndexSchema.Body, IndexSchema.Severity, IndexSchema.Status, IndexSchema.Number, IndexSchema.Source, IndexSchema.Service,
    };

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "if", "in", "into", "is", "it",
        "its", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to",
        "was", "were", "will", "with", "we", "our", "all", "after", "before", "when", "which", "can", "could", "should", "would",
    };

    private IndexWriter Writer(OpenMode mode = OpenMode.CREATE_OR_APPEND)
    {
        if (_writer is not null)
        {
            return _writer;
        }
        System.IO.Directory.CreateDirectory(Location);
        var config = new IndexWriterConfig(TechnicalAnalyzer.Version, _indexAnalyzer)
        {
            OpenMode = mode,
            Similarity = new BM25Similarity(),
            RAMBufferSizeMB = 64,
            // Another incidents process may be updating the index; wait for it rather than fail.
            WriteLockTimeout = 10_000,
        };
        _writer = new IndexWriter(_directory, config);
        return _writer;
    }

    private IndexSearcher Searcher()
    {
        if (_reader is null)
        {
            if (_writer is not null)
            {
                _reader = DirectoryReader.Open(_writer, applyAllDeletes: true);
            }
            else if (DirectoryReader.IndexExists(_directory))
            {
                _reader = DirectoryReader.Open(_directory);
            }
            else
            {
                Commit(0);
                _reader = DirectoryReader.Open(_directory);
            }
        }
        // A large index has several segments; scoring them on every core cuts the latency of a query
        // over long postings. Hits, scores and their order are the same as a one-thread search.
        return _reader.Leaves.Count > 1 && Environment.ProcessorCount > 1
            ? new IndexSearcher(_reader, TaskScheduler.Default) { Similarity = new BM25Similarity() }
            : new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    /// <summary>Opens the reader searches use (once per command); returns what is wrong when the index cannot be read.</summary>
    private string? OpenReader()
    {
        try
        {
            _reader ??= DirectoryReader.Open(_directory);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }

    /// <summary>
    /// The latest commit's data, read from its segments file alone: opening a reader would open every
    /// segment, which a one-shot command then does again to search.
    /// </summary>
    private IDictionary<string, string> ReadCommitData()
    {
        var infos = new SegmentInfos();
        infos.Read(_directory);
        return infos.UserData;
    }

    private sealed record IndexedIncident(long Revision, long EvidenceCount, long EvidenceMax, string Digest);

    private static readonly ISet<string> IndexedIncidentFields = new HashSet<string>(StringComparer.Ordinal)
    {
        IndexSchema.Incident, IndexSchema.Revision, IndexSchema.EvidenceCount, IndexSchema.EvidenceMax, IndexSchema.EvidenceDigest,
    };

    /// <summary>What the index holds per incident (one incident, or all when <paramref name="incidentId"/> is null), pending changes included.</summary>
    private Dictionary<string, IndexedIncident> IndexedIncidents(string? incidentId)
    {
        var result = new Dictionary<string, IndexedIncident>(StringComparer.Ordinal);
        if (_writer is null && !DirectoryReader.IndexExists(_directory))
        {
            return result;
        }
        using var reader = _writer is not null ? DirectoryReader.Open(_writer, applyAllDeletes: true) : DirectoryReader.Open(_directory);
        var searcher = new IndexSearcher(reader);
        Query query = incidentId is null
            ? new TermQuery(new Term(IndexSchema.Kind, IndexSchema.IncidentKind))
            : IncidentDocument(incidentId);
        var top = searcher.Search(query, Math.Max(1, reader.DocFreq(new Term(IndexSchema.Kind, IndexSchema.IncidentKind))));
        foreach (var sd in top.ScoreDocs)
        {
            // Not the profile and body: decoding kilobytes per incident made a catch-up slow.
            var doc = searcher.Doc(sd.Doc, IndexedIncidentFields);
            result[doc.Get(IndexSchema.Incident)] = new IndexedIncident(
                Number(doc, IndexSchema.Revision), Number(doc, IndexSchema.EvidenceCount), Number(doc, IndexSchema.EvidenceMax),
                doc.Get(IndexSchema.EvidenceDigest) ?? "");
        }
        return result;
    }

    private static long Number(Document doc, string field) =>
        doc.GetField(field)?.GetInt64Value() ?? doc.GetField(field)?.GetInt32Value() ?? 0;

    private static void AppendDigest(StringBuilder digest, Evidence e)
    {
        if (digest.Length < IncidentDocuments.DigestLimit)
        {
            digest.Append(IncidentDocuments.DigestOf(e)).Append('\n');
        }
    }

    private static Query IncidentDocument(string incidentId) => new BooleanQuery
    {
        { new TermQuery(new Term(IndexSchema.Incident, incidentId)), Occur.MUST },
        { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.IncidentKind)), Occur.MUST },
    };

    private static Query ItemsOf(string incidentId) => new BooleanQuery
    {
        { new TermQuery(new Term(IndexSchema.Incident, incidentId)), Occur.MUST },
        { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.EvidenceKind)), Occur.MUST_NOT },
    };

    private static Query EvidenceOf(string incidentId) => new BooleanQuery
    {
        { new TermQuery(new Term(IndexSchema.Incident, incidentId)), Occur.MUST },
        { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.EvidenceKind)), Occur.MUST },
    };

    private static BooleanQuery? Filter(SearchRequest r, string? kind)
    {
        var filter = new BooleanQuery();
        if (kind is not null)
        {
            filter.Add(new TermQuery(new Term(IndexSchema.Kind, kind)), Occur.MUST);
        }
        if (!string.IsNullOrWhiteSpace(r.Service))
        {
            var s = r.Service.Trim().ToLowerInvariant().Replace("*", "", StringComparison.Ordinal).Replace("?", "", StringComparison.Ordinal);
            filter.Add(new WildcardQuery(new Term(IndexSchema.Service, "*" + s + "*")), Occur.MUST);
        }
        if (r.Severity is { } sev)
        {
            filter.Add(new TermQuery(new Term(IndexSchema.Severity, Vocabulary.Label(sev).ToLowerInvariant())), Occur.MUST);
        }
        if (r.Status is { } st)
        {
            filter.Add(new TermQuery(new Term(IndexSchema.Status, Vocabulary.Word(st))), Occur.MUST);
        }
        if (r.Since is { } since)
        {
            filter.Add(NumericRangeQuery.NewInt64Range(IndexSchema.Started, IncidentDocuments.StartedPrecisionStep, since.ToUnixTimeMilliseconds(), null, true, true), Occur.MUST);
        }
        return filter.Clauses.Count == 0 ? null : filter;
    }

    /// <summary>Each analyzed term of the text mapped to the first way it was written there (failur → failure).</summary>
    private Dictionary<string, string> SurfaceForms(string text)
    {
        var forms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in _analyzer.Tokens(IndexSchema.Profile, text))
        {
            forms.TryAdd(t.Term, text[t.Start..t.End].ToLowerInvariant());
        }
        return forms;
    }

    private static HashSet<string> TermsOf(IndexReader reader, int doc)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        var vector = reader.GetTermVector(doc, IndexSchema.Profile);
        if (vector is null)
        {
            return terms;
        }
        var e = vector.GetEnumerator();
        while (e.MoveNext())
        {
            terms.Add(e.Term.Utf8ToString());
        }
        return terms;
    }
}
