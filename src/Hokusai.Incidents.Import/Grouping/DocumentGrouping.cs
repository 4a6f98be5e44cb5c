using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;
namespace Hokusai.Incidents.Import.Grouping;

/// <summary>How the documents of one import command are shared out between incidents.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<GroupingMode>))]
public enum GroupingMode
{
    /// <summary>Documents about the same incident (by <see cref="IncidentSubject"/>) go together.</summary>
    BySubject,
    /// <summary>Every document into one incident.</summary>
    Together,
    /// <summary>One incident per document.</summary>
    Separate,
}

/// <summary>One incident's documents, in the order given, and why each of them belongs there.</summary>
public sealed record DocumentGroup
{
    /// <summary>The stored incident these documents merge into; null when they make a new one.</summary>
    public string? ExistingId { get; init; }
    public required IReadOnlyList<GroupedDocument> Documents { get; init; }
}

/// <param name="Document">One document of the group.</param>
/// <param name="Reason">Why the document joined its incident; null for the document that starts a new one.</param>
public sealed record GroupedDocument(ImportedDocument Document, string? Reason);

/// <summary>
/// Decides which documents describe the same incident, among themselves and against the incidents
/// already stored, before anything is written. Candidates are found through the words and
/// identifiers they share, so an archive of thousands of documents is not compared pair by pair.
/// </summary>
public static class DocumentGrouping
{
    public static IReadOnlyList<DocumentGroup> Group(
        IReadOnlyList<ImportedDocument> documents, IEnumerable<Incident> stored, GroupingMode mode, string? intoId = null)
    {
        if (intoId is not null)
        {
            return documents.Count == 0 ? [] : [new DocumentGroup { ExistingId = intoId, Documents = [.. documents.Select(d => new GroupedDocument(d, $"--into {intoId}"))] }];
        }
        var groups = new List<Candidate>();
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var incident in stored)
        {
            Add(groups, index, new Candidate(incident.Id, IncidentSubject.Of(incident), incident.Title));
        }
        var storedCount = groups.Count;
        Candidate? together = null;
        foreach (var doc in documents)
        {
            var subject = IncidentSubject.Of(doc.Incident);
            // With --separate, documents are only compared with what is stored, never with each other.
            var limit = mode == GroupingMode.Separate ? storedCount : groups.Count;
            var (best, reason) = Best(groups, index, subject, limit);
            if (mode == GroupingMode.Together && together is not null)
            {
                together.Documents.Add(new GroupedDocument(doc, "--together"));
                continue;
            }
            if (best is null)
            {
                best = new Candidate(null, subject, doc.Incident.Title);
                best.Documents.Add(new GroupedDocument(doc, null));
                Add(groups, index, best);
            }
            else
            {
                var label = best.ExistingId is { } id && best.Documents.Count == 0 ? $"stored incident {id}" : best.Documents.Count > 0 ? best.Documents[0].Document.FileName : best.Title;
                best.Documents.Add(new GroupedDocument(doc, $"same incident as {label}: {reason}"));
                var before = best.Subject;
                best.Subject = best.Subject.With(subject);
                foreach (var key in best.Subject.Keys().Except(before.Keys()))
                {
                    Posting(index, key).Add(best.Position);
                }
            }
            together = mode == GroupingMode.Together ? best : null;
        }
        var order = new Dictionary<ImportedDocument, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < documents.Count; i++)
        {
            order.TryAdd(documents[i], i);
        }
        // Groups appear in the order of their first document, whether new or stored.
        return [.. groups.Where(g => g.Documents.Count > 0)
            .OrderBy(g => order[g.Documents[0].Document])
            .Select(g => new DocumentGroup { ExistingId = g.ExistingId, Documents = g.ExistingId is null ? DatedFirst(g.Documents) : g.Documents })];
    }

    /// <summary>
    /// A new incident takes its id (and title) from the document that creates it, so a document that
    /// says when it happened goes first: "Action items - X" sorting before "X postmortem" must not
    /// date the incident by the import day.
    /// </summary>
    private static IReadOnlyList<GroupedDocument> DatedFirst(IReadOnlyList<GroupedDocument> docs)
    {
        var first = docs.ToList().FindIndex(d => IncidentSubject.DayOf(d.Document.Incident) is not null);
        if (first <= 0)
        {
            return docs;
        }
        var lead = docs[first].Document;
        var reordered = new List<GroupedDocument> { new(lead, null) };
        foreach (var d in docs.Where((_, n) => n != first))
        {
            reordered.Add(d.Reason is null ? d with { Reason = $"same incident as {lead.FileName}" } : d);
        }
        return reordered;
    }

    private static (Candidate? Best, string? Reason) Best(List<Candidate> groups, Dictionary<string, List<int>> index, IncidentSubject subject, int limit)
    {
        var seen = new HashSet<int>();
        Candidate? best = null;
        string? why = null;
        var bestScore = 0.0;
        foreach (var key in subject.Keys())
        {
            if (!index.TryGetValue(key, out var postings))
            {
                continue;
            }
            foreach (var at in postings)
            {
                if (at >= limit || !seen.Add(at))
                {
                    continue;
                }
                var (score, reason) = groups[at].Subject.Match(subject);
                if (score > bestScore)
                {
                    (best, why, bestScore) = (groups[at], reason, score);
                }
            }
        }
        return (best, why);
    }

    private static void Add(List<Candidate> groups, Dictionary<string, List<int>> index, Candidate candidate)
    {
        candidate.Position = groups.Count;
        groups.Add(candidate);
        foreach (var key in candidate.Subject.Keys())
        {
            Posting(index, key).Add(candidate.Position);
        }
    }

    private static List<int> Posting(Dictionary<string, List<int>> index, string key)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        return list;
    }

    private sealed class Candidate(string? existingId, IncidentSubject subject, string title)
    {
        public string? ExistingId { get; } = existingId;
        public IncidentSubject Subject { get; set; } = subject;
        public string Title { get; } = title;
        public int Position { get; set; }
        public List<GroupedDocument> Documents { get; } = [];
    }
}
