namespace Hokusai.Incidents.Storage;

/// <summary>
/// The system of record. Every write redacts secrets first and is atomic, also against other
/// processes writing the same database.
/// </summary>
public interface IIncidentStore : IDisposable
{
    /// <summary>Where the data lives (a file path for LiteDB).</summary>
    string Location { get; }

    /// <summary>Grows with every write; lets a derived index tell that it is behind.</summary>
    long ChangeSequence { get; }

    Redaction.Redactor Redactor { get; }

    /// <summary>Stores a new incident. An empty <see cref="Incident.Id"/> gets a slug from the start date and title.</summary>
    Incident Create(Incident draft);

    Incident? Find(string id);

    /// <summary>Like <see cref="Find"/> but an unknown id is a <see cref="NotFoundException"/>.</summary>
    Incident Get(string id);

    IReadOnlyList<Incident> List(IncidentQuery? query = null);

    /// <summary>Reads, changes and writes one incident as one atomic step; bumps its revision.</summary>
    Incident Update(string id, Func<Incident, Incident> change);

    /// <summary>Writes an incident as given (revision and times included), replacing any with the same id. For case-file import.</summary>
    Incident Put(Incident incident);

    bool Delete(string id);

    /// <summary>
    /// In one transaction: writes the incident as given and replaces all its evidence with
    /// <paramref name="evidence"/> (numbers kept). For <c>import --replace</c>.
    /// </summary>
    CaseReplaceResult Replace(Incident incident, IReadOnlyCollection<Evidence> evidence);

    /// <summary>
    /// Adds evidence, skipping any whose dedup key the incident already has. Numbers given are kept
    /// where free; the rest are assigned. All in one transaction.
    /// </summary>
    EvidenceWriteResult AddEvidence(IReadOnlyCollection<Evidence> items);

    IEnumerable<Evidence> ListEvidence(string incidentId, EvidenceQuery? query = null);

    /// <summary>
    /// All of an incident's evidence in number order, at once: for callers that hold all of it anyway
    /// (render, case files, the site), which a store can read faster than it streams.
    /// </summary>
    IReadOnlyList<Evidence> ReadEvidence(string incidentId) => [.. ListEvidence(incidentId)];

    /// <summary>The incident's evidence stored under <paramref name="dedupKey"/> (as given, before redaction), or null.</summary>
    Evidence? FindEvidenceByKey(string incidentId, string dedupKey);

    long CountEvidence(string incidentId);

    Evidence UpdateEvidence(string incidentId, long number, Func<Evidence, Evidence> change);

    /// <summary>
    /// Numbers of the incident's evidence changed in place by <see cref="UpdateEvidence"/> (links, watch
    /// counts) while <see cref="ChangeSequence"/> was at <paramref name="changeSequence"/> or later.
    /// </summary>
    IReadOnlyList<long> EvidenceUpdatedSince(string incidentId, long changeSequence);

    /// <summary>Small named values for resumable work, e.g. the last page token of a pull.</summary>
    string? GetCheckpoint(string key);

    void SetCheckpoint(string key, string? value);

    /// <summary>Adds a redaction pattern kept with the database, so every later write on any machine uses it.</summary>
    void AddRedactionPattern(string pattern);

    /// <summary>
    /// Groups the writes until the returned handle is committed into one transaction (an archive
    /// import writes thousands of small records; one commit each is most of its time). Disposing
    /// without <see cref="IWriteBatch.Commit"/> drops them. Stores without transactions write as they go.
    /// </summary>
    IWriteBatch Batch() => WriteAsYouGo.Instance;

    /// <summary>The patterns kept with the database (not those configured for this process), in the order added.</summary>
    IReadOnlyList<string> StoredRedactionPatterns { get; }

    /// <summary>Removes a pattern kept with the database; unknown patterns are a <see cref="NotFoundException"/>.</summary>
    void RemoveRedactionPattern(string pattern);
}

public interface IWriteBatch : IDisposable
{
    void Commit();
}

internal sealed class WriteAsYouGo : IWriteBatch
{
    public static readonly WriteAsYouGo Instance = new();

    public void Commit()
    {
    }

    public void Dispose()
    {
    }
}

public sealed record IncidentQuery
{
    public IncidentStatus? Status { get; init; }
    public Severity? Severity { get; init; }
    public string? Service { get; init; }
    public DateTimeOffset? Since { get; init; }
}

/// <summary>Lookups built on the store's own queries.</summary>
public static class IncidentStoreLookups
{
    /// <summary>One piece of evidence by number, read on its own rather than by listing the incident's evidence.</summary>
    public static Evidence? FindEvidence(this IIncidentStore store, string incidentId, long number) =>
        store.ListEvidence(incidentId, new EvidenceQuery { After = number - 1, Limit = 1 }).FirstOrDefault(e => e.Number == number);
}

public sealed record EvidenceQuery
{
    public EvidenceKind? Kind { get; init; }
    /// <summary>Only evidence linked (supporting or refuting) to this H# or T#.</summary>
    public string? LinkedTo { get; init; }
    public int? Limit { get; init; }
    /// <summary>Only evidence numbered above this (what a reader already has).</summary>
    public long? After { get; init; }
}

/// <summary>What <see cref="IIncidentStore.Replace"/> did: the stored incident, how much old evidence it removed, the new evidence written.</summary>
public sealed record CaseReplaceResult(Incident Incident, int EvidenceRemoved, EvidenceWriteResult Evidence);

public sealed record EvidenceWriteResult(int Added, int Skipped, IReadOnlyList<long> Numbers);
