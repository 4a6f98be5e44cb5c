using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Syntax;

namespace Hokusai.Incidents.Import.Grouping;

/// <summary>
/// What a document (or a stored incident) is about, reduced to what two write-ups of one outage
/// share: the title's words without document-kind words ("Fix Tasks", "Postmortem", "Root Cause
/// Analysis"), the day it happened, and the identifiers engineers copy between documents (service
/// names, endpoints, hosts, error names and messages).
/// </summary>
public sealed partial record IncidentSubject(DateOnly? Date, IReadOnlySet<string> TitleWords, IReadOnlySet<string> Identifiers)
{
    /// <summary>
    /// Service names, paths, hosts and error names in the title. Two titles that each name one and
    /// share none are about different things, however many ordinary words they share
    /// ("Cache-resolver-1 dropped messages", "Resolver-worker-66 dropped messages").
    /// </summary>
    public IReadOnlySet<string> TitleIdentifiers { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    // Words that say what kind of document it is, or nothing about the outage.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "bug", "investigation", "fix", "fixes", "task", "tasks", "root", "cause", "causes", "analysis", "rca", "hypotheses",
        "hypothesis", "summary", "postmortem", "post", "mortem", "incident", "incidents", "report", "review", "status",
        "update", "updates", "timeline", "action", "actions", "item", "items", "follow", "ups", "followups", "notes",
        "retrospective", "retro", "still", "draft", "final", "part", "the", "a", "an", "of", "on", "in", "for", "to",
        "and", "with", "after", "during", "from", "at", "by", "is", "was", "were", "our", "we", "sev", "sev0", "sev1",
        "sev2", "sev3", "sev4", "p0", "p1", "p2", "p3", "p4", "issue", "issues", "plan", "remediation", "lessons", "learned",
        "document", "writeup", "write", "up", "utc", "about", "what", "happened", "details", "detail", "public",
    };

    public static IncidentSubject Of(Incident incident, DateOnly? date = null)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Word().Matches(InlineText.Plain(incident.Title).ToLowerInvariant()))
        {
            var w = m.Value;
            if (!Ignored.Contains(w) && !w.All(char.IsDigit) && w.Length > 1)
            {
                words.Add(Stem(w));
            }
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        // Components are often described ("MLflow service (mlflow-prod)"): the names inside count,
        // a bare one-word name counts as it is. Error messages are copied verbatim between documents.
        foreach (var s in incident.Components.All)
        {
            if (!Identifier().IsMatch(s) && !s.Trim().Contains(' ', StringComparison.Ordinal))
            {
                AddIdentifier(ids, s);
            }
        }
        foreach (var e in incident.ErrorMessages)
        {
            if (e.Length <= 80)
            {
                AddIdentifier(ids, e);
            }
        }
        foreach (var text in Texts(incident))
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            foreach (Match m in Identifier().Matches(text))
            {
                AddIdentifier(ids, m.Value);
            }
            foreach (Match m in CodeSpan().Matches(text))
            {
                // What an author puts in backticks is a name to be typed exactly: a service, a queue, a flag.
                AddIdentifier(ids, m.Groups["c"].Value);
            }
        }
        var titleIds = new HashSet<string>(StringComparer.Ordinal);
        var title = InlineText.Plain(incident.Title);
        // Lower-cased for names at the start of a sentence ("Cache-resolver-1"), as written for error names.
        foreach (Match m in Identifier().Matches(title).Concat(Identifier().Matches(title.ToLowerInvariant())))
        {
            AddIdentifier(titleIds, m.Value);
        }
        var day = date ?? DayOf(incident);
        return new IncidentSubject(day, words, ids) { TitleIdentifiers = titleIds };
    }

    /// <summary>
    /// Every piece of prose the record holds: a stored incident holds what all its documents said,
    /// so a document that joined it by sharing identifiers finds it again the next time.
    /// </summary>
    private static IEnumerable<string?> Texts(Incident i)
    {
        yield return i.Title;
        yield return i.Summary;
        yield return i.RootCause;
        yield return i.Trigger;
        yield return i.TechnicalExplanation;
        yield return i.Solution;
        yield return i.BusinessImpact;
        foreach (var c in i.Components.All)
        {
            yield return c;
        }
        foreach (var e in i.ErrorMessages)
        {
            yield return e;
        }
        foreach (var s in i.CurrentState)
        {
            yield return s.Component + " " + s.Detail;
        }
        foreach (var h in i.Hypotheses)
        {
            yield return h.Title;
        }
        foreach (var t in i.Tasks)
        {
            yield return t.Title;
        }
        foreach (var e in i.Timeline)
        {
            yield return e.Text;
        }
        foreach (var n in i.Notes)
        {
            yield return n.Text;
        }
    }

    /// <summary>The day the incident happened, as far as the record says.</summary>
    public static DateOnly? DayOf(Incident incident)
    {
        var t = incident.Times.Started ?? incident.Times.Detected ?? incident.Times.FirstReported
            ?? (incident.Timeline.Count > 0 ? incident.Timeline.Min(e => e.At) : (DateTimeOffset?)null);
        return t is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : null;
    }

    public IEnumerable<string> Keys() => TitleWords.Select(w => "t:" + w).Concat(Identifiers.Select(i => "i:" + i));

    /// <summary>Both subjects together, for a group that several documents already joined.</summary>
    public IncidentSubject With(IncidentSubject other) => new(
        Date ?? other.Date,
        new HashSet<string>(TitleWords.Concat(other.TitleWords), StringComparer.Ordinal),
        new HashSet<string>(Identifiers.Concat(other.Identifiers), StringComparer.Ordinal))
    {
        TitleIdentifiers = new HashSet<string>(TitleIdentifiers.Concat(other.TitleIdentifiers), StringComparer.Ordinal),
    };

    /// <summary>
    /// How sure we are that <paramref name="document"/> is about the incident this subject describes
    /// (0 = not at all), with the reason in words. Different days rule it out; otherwise most of the
    /// document's title words, or most of its identifiers, must be shared.
    /// </summary>
    public (double Score, string? Reason) Match(IncidentSubject document)
    {
        if (Date is { } a && document.Date is { } b && Math.Abs(a.DayNumber - b.DayNumber) > 1)
        {
            return (0, null);
        }
        var sameDay = Date is not null && Date == document.Date;
        var titleShared = document.TitleWords.Count(TitleWords.Contains);
        var titleSmaller = Math.Min(TitleWords.Count, document.TitleWords.Count);
        var title = titleSmaller == 0 ? 0 : (double)titleShared / titleSmaller;
        var idShared = document.Identifiers.Where(Identifiers.Contains).ToList();
        var idSmaller = Math.Min(Identifiers.Count, document.Identifiers.Count);
        var ids = idSmaller == 0 ? 0 : (double)idShared.Count / idSmaller;

        var titlesDisagree = TitleIdentifiers.Count > 0 && document.TitleIdentifiers.Count > 0 && !document.TitleIdentifiers.Overlaps(TitleIdentifiers);
        if (titlesDisagree)
        {
            titleShared = 0;
            title = 0;
        }
        if (titleShared >= 2 && title >= 0.6 || titleShared >= 1 && titleSmaller == 1 && Math.Max(TitleWords.Count, document.TitleWords.Count) <= 2)
        {
            return (1 + title, $"title words ({string.Join(", ", document.TitleWords.Where(TitleWords.Contains).Order(StringComparer.Ordinal))})");
        }
        // Five hosts, service names or paths in common is a lot for two unrelated outages.
        if (idShared.Count >= 2 && ids >= 0.5 || idShared.Count >= 5 && ids >= 0.25)
        {
            return (0.5 + ids / 2, $"shared {Describe(idShared)}");
        }
        if (sameDay && (titleShared >= 1 && title >= 0.5 || idShared.Count >= 1))
        {
            return (0.4, $"same day ({Date:yyyy-MM-dd}) and {(idShared.Count >= 1 ? Describe(idShared) : "title words")}");
        }
        return (0, null);
    }

    private static string Describe(IReadOnlyList<string> shared)
    {
        var shown = shared.Order(StringComparer.Ordinal).Take(3).ToList();
        return string.Join(", ", shown) + (shared.Count > shown.Count ? $" and {shared.Count - shown.Count} more" : "");
    }

    private static void AddIdentifier(HashSet<string> ids, string text)
    {
        var t = InlineText.Plain(text).Trim().Trim('`', '"', '\'', '.', ',', ':', ';', '(', ')').ToLowerInvariant();
        if (t.Length < 4 || t.Length > 120 || !t.Any(char.IsLetter))
        {
            return;
        }
        ids.Add(t);
    }

    /// <summary>Light stemming so "failing" and "failure", "outage" and "outages" meet.</summary>
    private static string Stem(string w)
    {
        foreach (var suffix in new[] { "ing", "ure", "ed", "es", "s" })
        {
            if (w.Length > suffix.Length + 3 && w.EndsWith(suffix, StringComparison.Ordinal))
            {
                return w[..^suffix.Length];
            }
        }
        return w;
    }

    [GeneratedRegex(@"`(?<c>[^`\s]{4,80})`", RegexOptions.CultureInvariant)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    // Paths (/api/v1/x), hosts (registry.example.com), hyphenated service names (checkout-api-prod),
    // and error names (SyntaxError, ECONNREFUSED, OOMKilled).
    [GeneratedRegex(@"(?<![\w/.-])(?:/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.{}:-]+)+|[a-z0-9]+(?:-[a-z0-9]+){2,}|[a-z0-9-]+(?:\.[a-z0-9-]+)+\.[a-z]{2,}|[A-Z][A-Za-z]+(?:Error|Exception|Killed)|E[A-Z]{5,})(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
