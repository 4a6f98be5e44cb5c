using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hokusai.Incidents.Site;

/// <summary>
/// One searchable item in the browser index: <c>k</c> kind, <c>t</c> what the hit shows, <c>x</c> the
/// text searched besides it, <c>i</c> incident id, <c>n</c> incident title, <c>u</c> link from the site's root.
/// Short names because the index ships once per site and 2,000 incidents make it large.
/// </summary>
public sealed record SearchEntry(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("t")] string Title,
    [property: JsonPropertyName("x")] string Text,
    [property: JsonPropertyName("i")] string IncidentId,
    [property: JsonPropertyName("n")] string IncidentTitle,
    [property: JsonPropertyName("u")] string Url);

/// <summary>
/// The search page and its index. The index is a script (<c>assets/search-index.js</c>) rather than
/// JSON because pages opened from file:// cannot fetch() files in Chromium; a script tag loads anywhere.
/// </summary>
public static class SearchPage
{
    /// <summary>Incidents, root causes, hypotheses (refuted too), tasks and timeline entries of one incident; evidence is not in it.</summary>
    public static IEnumerable<(string Kind, string Title, string Text, string Anchor)> ItemsOf(Incident incident)
    {
        yield return ("incident", incident.Title, Join(incident.Id, incident.Summary, string.Join(' ', incident.ErrorMessages),
            string.Join(' ', incident.Components.All), incident.BusinessImpact, string.Join(' ', incident.Tags),
            Vocabulary.Label(incident.Severity), Vocabulary.Word(incident.Status)), "");
        if (incident.RootCause is { Length: > 0 } || incident.Trigger is { Length: > 0 } || incident.Solution is { Length: > 0 })
        {
            yield return ("root cause", IncidentFacts.RootCauseSummary(incident) is { Length: > 0 } s ? s : "Root cause",
                Join(incident.RootCause, incident.Trigger, incident.TechnicalExplanation, incident.Solution), "#doc-root-cause");
        }
        foreach (var h in incident.Hypotheses)
        {
            yield return ($"hypothesis, {Vocabulary.Word(h.Status)}", $"{h.Key} {h.Title}",
                Join(h.Description, h.Outcome, h.WhyItCausesTheBug, h.Category, string.Join(' ', h.SupportingEvidence),
                    string.Join(' ', h.EvidenceAgainst), string.Join(' ', h.TestMethod.Steps), string.Join(' ', h.Commands.Select(c => c.Code))),
                "#" + h.Key);
        }
        foreach (var t in incident.Tasks)
        {
            yield return (t.Done ? "task, done" : "task", $"{t.Key} {t.Title}", Join(t.Owner, t.Group, t.Section), "#" + t.Key);
        }
        var n = 0;
        foreach (var e in incident.Timeline.OrderBy(e => e.At))
        {
            n++;
            yield return ("timeline", e.Text, Html.Time(e.At) + " " + Vocabulary.Word(e.Kind), "#timeline-" + n);
        }
    }

    public static string IndexScript(IEnumerable<Incident> incidents)
    {
        var entries = new List<SearchEntry>();
        foreach (var incident in incidents)
        {
            var page = SitePaths.IncidentPage(incident.Id);
            foreach (var (kind, title, text, anchor) in ItemsOf(incident))
            {
                entries.Add(new SearchEntry(entries.Count + 1, kind, title, text, incident.Id, incident.Title, page + anchor));
            }
        }
        var sb = new StringBuilder();
        sb.Append("// Search index of the site, written by 'incidents site'. A script, not JSON, so pages opened from file:// can load it.\n")
          .Append("window.hokusaiSearchIndex = ").Append(JsonSerializer.Serialize(entries, SiteJsonContext.Default.ListSearchEntry)).Append(";\n");
        return sb.ToString();
    }

    public static string Build(string siteTitle)
    {
        const string main = """
            <h1>Search</h1>
            <p class="muted">Finds incidents, root causes, hypotheses (refuted ones too), fix tasks and timeline entries.
            Type what you see: <code>504</code>, <code>/api/mlflow/health</code>, <code>10.0.3.219:5000</code>, <code>SyntaxError</code>.
            Every word must match; the last one may be the start of a word.</p>
            <p id="search-status" role="status" aria-live="polite">Loading the index…</p>
            <ol id="search-results" class="results"></ol>
            <noscript><p>Search runs in the browser and needs JavaScript; the <a href="index.html">incident table</a> works without it.</p></noscript>

            """;
        return PageLayout.Page(SitePaths.Search, siteTitle, "Search", main, PageLayout.Scripts.Search, query: "");
    }

    private static string Join(params string?[] parts) =>
        string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)));
}
