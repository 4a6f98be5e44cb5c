using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;
namespace Hokusai.Incidents.Search;

/// <summary>A search: the query text and the filters that narrow it.</summary>
public sealed record SearchRequest
{
    public required string Query { get; init; }
    /// <summary>incident, hypothesis, task, evidence, timeline or note (see <see cref="IndexSchema.ParseKind"/>).</summary>
    public string? Kind { get; init; }
    /// <summary>Only incidents affecting a service whose name contains this.</summary>
    public string? Service { get; init; }
    public Severity? Severity { get; init; }
    public IncidentStatus? Status { get; init; }
    /// <summary>Only incidents started (or, without a start, filed) at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 10;
    /// <summary>
    /// Match items having any of the words rather than all of them. Without it a search that finds
    /// nothing with every word tries again with any word, and says so in <see cref="SearchResults.Match"/>.
    /// </summary>
    public bool AnyWord { get; init; }
}

/// <summary>
/// One matching item, best first. <c>Item</c> is H3, T12, E40, "incident", a timeline time or "note 2";
/// <c>Snippet</c> is the text around the match with matched terms marked <c>**like this**</c>.
/// </summary>
public sealed record SearchHit(
    string IncidentId,
    string IncidentTitle,
    string Kind,
    string Item,
    string? Title,
    string Snippet,
    double Score,
    string Severity,
    string Status);

/// <summary>
/// The hits of a search. <c>Match</c> is "all" when every word had to match, "any" when one was
/// enough (asked for, or because no item has them all). <c>TotalHits</c> counts matching index
/// documents, where a block of evidence counts once (less the blocks seen to hold no matching item).
/// </summary>
public sealed record SearchResults(string Query, int TotalHits, IReadOnlyList<SearchHit> Hits, string Match = SearchResults.AllWords)
{
    public const string AllWords = "all";
    public const string AnyWord = "any";
}

/// <summary>A past incident like the one asked about, with the terms they share.</summary>
public sealed record SimilarIncidentMatch(string Id, string Title, double Score, IReadOnlyList<string> SharedTerms);

[JsonConverter(typeof(KebabCaseEnumConverter<IndexState>))]
public enum IndexState
{
    Current,
    Missing,
    OtherSchema,
    Behind,
    Unreadable,
}

/// <summary>How the index stands against the store, and the one-line notice to give when it is rebuilt.</summary>
public sealed record IndexCheck(IndexState State, long IndexedSequence, long StoreSequence, string? Reason)
{
    public bool IsCurrent => State == IndexState.Current;
}

/// <summary>How far a rebuild of the index has come: incidents done of all, and evidence indexed so far.</summary>
public sealed record IndexProgress(int Incidents, int Total, long Evidence);
