using System.Text;

namespace Hokusai.Incidents.Site;

/// <summary>A past incident like this one, to link from its page.</summary>
public sealed record SimilarLink(string Id, string Title, IReadOnlyList<string> SharedTerms);

/// <summary>
/// One incident on one page: key facts, a table of contents, hypotheses with their status history and
/// linked evidence, the fix checklist as a tree, the timeline, evidence pages, similar past incidents,
/// then its six documents.
/// </summary>
public static class IncidentPage
{
    public static string Build(string siteTitle, Incident incident, IncidentFacts facts, IReadOnlyList<DocumentSection> documents,
        EvidencePages evidence, long evidenceCount, IReadOnlyList<Evidence> allEvidence, IReadOnlyList<SimilarLink> similar)
    {
        var path = SitePaths.IncidentPage(incident.Id);
        var root = SitePaths.RootFrom(path);
        var sb = new StringBuilder(documents.Sum(d => d.Html.Length) + 16384);
        sb.Append("<p class=\"crumbs\"><a href=\"").Append(root).Append(SitePaths.Home).Append("\">All incidents</a> › ")
          .Append(Html.Text(incident.Id)).Append("</p>\n")
          .Append("<h1>").Append(Html.Text(incident.Title)).Append("</h1>\n<dl class=\"facts\">\n");
        void Fact(string label, string html)
        {
            if (html.Length > 0)
            {
                sb.Append("<div><dt>").Append(label).Append("</dt><dd>").Append(html).Append("</dd></div>\n");
            }
        }
        Fact("Id", "<code>" + Html.Text(incident.Id) + "</code>");
        Fact("Severity", $"<span class=\"sev sev{(int)incident.Severity}\">{Vocabulary.Label(incident.Severity)}</span>");
        Fact("Status", Vocabulary.Word(incident.Status));
        Fact("Started", Html.Time(facts.Started));
        Fact("Detected after", Html.Duration(facts.TimeToDetect));
        Fact("Mitigated after", Html.Duration(facts.TimeToMitigate));
        Fact("Resolved after", Html.Duration(facts.TimeToResolve));
        Fact("Services", Html.Text(string.Join(", ", incident.Components.Services)));
        sb.Append("</dl>\n");
        if (incident.Summary is { Length: > 0 } summary)
        {
            sb.Append("<p class=\"summary\">").Append(Html.Text(summary)).Append("</p>\n");
        }
        if (IncidentFacts.RootCauseSummary(incident) is { Length: > 0 } cause)
        {
            sb.Append("<p class=\"summary\"><strong>Root cause:</strong> ").Append(Html.Text(cause)).Append("</p>\n");
        }

        sb.Append("<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">Contents</h2>\n<ol>\n")
          .Append("<li><a href=\"#hypotheses\">Hypotheses</a></li>\n<li><a href=\"#fix-checklist\">Fix checklist</a></li>\n")
          .Append("<li><a href=\"#timeline\">Timeline</a></li>\n<li><a href=\"#evidence\">Evidence</a></li>\n")
          .Append("<li><a href=\"#similar\">Similar past incidents</a></li>\n");
        foreach (var d in documents)
        {
            // "Postmortem: <incident title>" reads as "Postmortem" in the incident's own contents.
            var docTitle = d.Title.EndsWith(": " + incident.Title, StringComparison.Ordinal) ? d.Title[..^(incident.Title.Length + 2)] : d.Title;
            sb.Append("<li><a href=\"#").Append(d.Anchor).Append("\">").Append(Html.Text(docTitle)).Append("</a>");
            if (d.Headings.Count > 0)
            {
                sb.Append("\n<ol>\n");
                foreach (var (anchor, text) in d.Headings)
                {
                    sb.Append("<li><a href=\"#").Append(Html.Text(anchor)).Append("\">").Append(Html.Text(text)).Append("</a></li>\n");
                }
                sb.Append("</ol>\n");
            }
            sb.Append("</li>\n");
        }
        sb.Append("</ol>\n</nav>\n");

        Hypotheses(sb, incident, evidence, allEvidence);
        Checklist(sb, incident);
        Timeline(sb, incident, evidence);

        sb.Append("<section id=\"evidence\" aria-labelledby=\"evidence-title\">\n<h2 id=\"evidence-title\">Evidence</h2>\n");
        if (evidenceCount == 0)
        {
            sb.Append("<p>No evidence recorded.</p>\n");
        }
        else
        {
            sb.Append("<p>").Append(Html.Number(evidenceCount)).Append(" pieces of evidence: ");
            foreach (var kind in allEvidence.GroupBy(e => e.Kind).OrderBy(g => g.Key))
            {
                sb.Append(Html.Number(kind.Count())).Append(' ').Append(Vocabulary.Word(kind.Key)).Append("; ");
            }
            sb.Append("on ").Append(evidence.Pages.Count).Append(evidence.Pages.Count == 1 ? " page" : " pages").Append(".</p>\n<ul class=\"inline\">\n");
            for (var p = 1; p <= evidence.Pages.Count; p++)
            {
                var items = evidence.Pages[p - 1];
                sb.Append("<li><a href=\"evidence-").Append(p).Append(".html\">").Append(items[0].Key)
                  .Append(items.Count > 1 ? "–" + items[^1].Key : "").Append("</a></li>\n");
            }
            sb.Append("</ul>\n");
        }
        sb.Append("</section>\n");

        sb.Append("<section id=\"similar\" aria-labelledby=\"similar-title\">\n<h2 id=\"similar-title\">Similar past incidents</h2>\n");
        if (similar.Count == 0)
        {
            sb.Append("<p>None found.</p>\n");
        }
        else
        {
            sb.Append("<ul>\n");
            foreach (var s in similar)
            {
                sb.Append("<li><a href=\"").Append(root).Append(SitePaths.IncidentPage(s.Id)).Append("\">").Append(Html.Text(s.Title)).Append("</a>");
                if (s.SharedTerms.Count > 0)
                {
                    sb.Append(" <span class=\"muted\">shares ").Append(Html.Text(string.Join(", ", s.SharedTerms.Take(8)))).Append("</span>");
                }
                sb.Append("</li>\n");
            }
            sb.Append("</ul>\n");
        }
        sb.Append("</section>\n");

        foreach (var d in documents)
        {
            sb.Append("<section class=\"document\" id=\"").Append(d.Anchor).Append("\">\n").Append(d.Html).Append("<p><a href=\"#toc-title\">↑ Contents</a></p>\n</section>\n");
        }
        return PageLayout.Page(path, siteTitle, incident.Title, sb.ToString(), PageLayout.Scripts.Mermaid);
    }

    private static void Hypotheses(StringBuilder sb, Incident incident, EvidencePages pages, IReadOnlyList<Evidence> evidence)
    {
        sb.Append("<section id=\"hypotheses\" aria-labelledby=\"hypotheses-title\">\n<h2 id=\"hypotheses-title\">Hypotheses</h2>\n");
        if (incident.Hypotheses.Count == 0)
        {
            sb.Append("<p>No hypotheses recorded.</p>\n");
        }
        foreach (var h in incident.Hypotheses)
        {
            sb.Append("<article class=\"hypothesis ").Append(Vocabulary.Word(h.Status)).Append("\" id=\"").Append(h.Key).Append("\">\n<h3>")
              .Append(h.Key).Append(' ').Append(Html.Text(h.Title)).Append(" <span class=\"badge ").Append(Vocabulary.Word(h.Status)).Append("\">")
              .Append(Vocabulary.Word(h.Status)).Append("</span></h3>\n<p class=\"meta\">");
            if (h.Confidence is { } c)
            {
                sb.Append("confidence ").Append(c).Append("% ");
            }
            if (h.Category is { Length: > 0 })
            {
                sb.Append("· ").Append(Html.Text(h.Category)).Append(' ');
            }
            sb.Append("</p>\n");
            if (h.Description is { Length: > 0 })
            {
                sb.Append("<p>").Append(Html.Text(h.Description)).Append("</p>\n");
            }
            if (h.Outcome is { Length: > 0 })
            {
                sb.Append("<p><strong>Outcome:</strong> ").Append(Html.Text(h.Outcome)).Append("</p>\n");
            }
            if (h.History.Count > 0)
            {
                sb.Append("<ol class=\"history\" aria-label=\"Status history of ").Append(h.Key).Append("\">\n");
                foreach (var change in h.History)
                {
                    sb.Append("<li><time datetime=\"").Append(Html.IsoTime(change.At)).Append("\">").Append(Html.Time(change.At)).Append("</time> ")
                      .Append(Vocabulary.Word(change.From)).Append(" → ").Append(Vocabulary.Word(change.To));
                    if (change.Note is { Length: > 0 })
                    {
                        sb.Append(": ").Append(Html.Text(change.Note));
                    }
                    sb.Append("</li>\n");
                }
                sb.Append("</ol>\n");
            }
            EvidenceList(sb, "Supported by", evidence.Where(e => e.Supports.Contains(h.Key)), pages);
            EvidenceList(sb, "Refuted by", evidence.Where(e => e.Refutes.Contains(h.Key)), pages);
            sb.Append("</article>\n");
        }
        sb.Append("</section>\n");
    }

    private static void EvidenceList(StringBuilder sb, string label, IEnumerable<Evidence> items, EvidencePages pages)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return;
        }
        sb.Append("<p>").Append(label).Append(": ");
        // A hypothesis backed by thousands of log lines links the first fifty and counts the rest.
        foreach (var (e, i) in list.Take(50).Select((e, i) => (e, i)))
        {
            sb.Append(i > 0 ? ", " : "").Append("<a href=\"").Append(pages.Href(e.Key)).Append("\">").Append(e.Key).Append("</a>");
        }
        if (list.Count > 50)
        {
            sb.Append(" and ").Append(Html.Number(list.Count - 50)).Append(" more");
        }
        sb.Append("</p>\n");
    }

    private static void Checklist(StringBuilder sb, Incident incident)
    {
        sb.Append("<section id=\"fix-checklist\" aria-labelledby=\"fix-title\">\n<h2 id=\"fix-title\">Fix checklist</h2>\n");
        if (incident.Tasks.Count == 0)
        {
            sb.Append("<p>No fix tasks recorded.</p>\n");
        }
        else
        {
            var done = incident.Tasks.Count(t => t.Done);
            sb.Append("<p>").Append(done).Append(" of ").Append(incident.Tasks.Count).Append(" done.</p>\n");
        }
        // The same tree as every other view: a task whose parent is missing or itself stands at the top.
        var tree = TaskTree.Build(incident);
        var shown = new HashSet<FixTask>(ReferenceEqualityComparer.Instance);
        foreach (var group in tree.Roots.GroupBy(t => (t.Priority, t.Group)).OrderBy(g => g.Key.Priority is null).ThenBy(g => g.Key.Priority))
        {
            // A task nobody gave a priority shows none rather than an invented one.
            var label = group.Key.Priority is null ? "" : Vocabulary.Label(group.Key.Priority) + " ";
            sb.Append("<h3>").Append(label)
              .Append(Html.Text(group.Key.Group ?? (group.Key.Priority is null ? "No priority set" : Vocabulary.PriorityName(group.Key.Priority)))).Append("</h3>\n");
            Tree(sb, group, tree, shown);
        }
        sb.Append("</section>\n");
    }

    private static void Tree(StringBuilder sb, IEnumerable<FixTask> tasks, TaskTree tree, HashSet<FixTask> shown)
    {
        sb.Append("<ul class=\"tree\">\n");
        foreach (var t in tasks)
        {
            // A parent loop or a repeated number in hand-edited data shows each task once and ends.
            if (!shown.Add(t))
            {
                continue;
            }
            sb.Append("<li id=\"").Append(t.Key).Append("\" class=\"").Append(t.Done ? "done" : "open").Append("\">")
              .Append("<span class=\"check\" role=\"img\" aria-label=\"").Append(t.Done ? "done" : "open").Append("\">")
              .Append(t.Done ? "☑" : "☐").Append("</span> <b>").Append(t.Key).Append("</b> ").Append(Html.Text(t.Title));
            var notes = new List<string>();
            if (t.Owner is { Length: > 0 })
            {
                notes.Add("owner " + Html.Text(t.Owner));
            }
            if (t.Due is { } due)
            {
                notes.Add("due " + due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
            if (t.DependsOn.Count > 0)
            {
                notes.Add("after " + string.Join(", ", t.DependsOn.Select(d => $"<a href=\"#T{d}\">T{d}</a>")));
            }
            if (notes.Count > 0)
            {
                sb.Append(" <span class=\"muted\">(").Append(string.Join("; ", notes)).Append(")</span>");
            }
            var children = tree.ChildrenOf(t).Where(c => !shown.Contains(c)).ToList();
            if (children.Count > 0)
            {
                sb.Append('\n');
                Tree(sb, children, tree, shown);
            }
            sb.Append("</li>\n");
        }
        sb.Append("</ul>\n");
    }

    private static void Timeline(StringBuilder sb, Incident incident, EvidencePages pages)
    {
        sb.Append("<section id=\"timeline\" aria-labelledby=\"timeline-title\">\n<h2 id=\"timeline-title\">Timeline</h2>\n");
        if (incident.Timeline.Count == 0)
        {
            sb.Append("<p>No timeline entries.</p>\n</section>\n");
            return;
        }
        sb.Append("<p>The chart is in the <a href=\"#doc-postmortem\">postmortem</a>.</p>\n<ol class=\"timeline\">\n");
        var n = 0;
        foreach (var e in incident.Timeline.OrderBy(e => e.At))
        {
            n++;
            sb.Append("<li id=\"timeline-").Append(n).Append("\"><time datetime=\"").Append(Html.IsoTime(e.At)).Append("\">").Append(Html.Time(e.At))
              .Append("</time> <span class=\"badge\">").Append(Vocabulary.Word(e.Kind)).Append("</span> ").Append(Html.Text(e.Text));
            foreach (var key in e.Evidence)
            {
                sb.Append(' ').Append(pages.Href(key) is { } href ? $"<a href=\"{href}\">{Html.Text(key)}</a>" : Html.Text(key));
            }
            if (e.Flag is { Length: > 0 })
            {
                sb.Append(" <span class=\"flag\">check: ").Append(Html.Text(e.Flag)).Append("</span>");
            }
            sb.Append("</li>\n");
        }
        sb.Append("</ol>\n</section>\n");
    }
}
