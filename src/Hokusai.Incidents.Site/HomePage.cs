using System.Text;

namespace Hokusai.Incidents.Site;

/// <summary>An open fix task with the incident it belongs to.</summary>
public sealed record ActionItem(Incident Incident, FixTask Task)
{
    /// <summary>Dated items first, earliest due first (so overdue ones lead whatever the day), then by priority and incident.</summary>
    public static IReadOnlyList<ActionItem> OpenAcross(IEnumerable<Incident> incidents) =>
        [.. incidents.SelectMany(i => i.Tasks.Where(t => !t.Done).Select(t => new ActionItem(i, t)))
            .OrderBy(a => a.Task.Due is null)
            .ThenBy(a => a.Task.Due)
            .ThenBy(a => a.Task.Priority is null)
            .ThenBy(a => a.Task.Priority)
            .ThenBy(a => a.Incident.Id, StringComparer.Ordinal)
            .ThenBy(a => a.Task.Number)];
}

/// <summary>The home page: every incident in a sortable, filterable table, the last 90 days in figures, and open action items.</summary>
public static class HomePage
{
    /// <summary>How many action items the home page shows before pointing to the full list.</summary>
    public const int ActionsShown = 25;

    public static string Build(string siteTitle, IReadOnlyList<(Incident Incident, IncidentFacts Facts)> incidents, IReadOnlyList<ActionItem> actions)
    {
        var sb = new StringBuilder(incidents.Count * 700 + 8192);
        sb.Append("<h1>").Append(Html.Text(siteTitle)).Append("</h1>\n");
        Stats(sb, WindowStats.Of(incidents));
        Table(sb, incidents);
        sb.Append("<section id=\"actions\" aria-labelledby=\"actions-title\">\n<h2 id=\"actions-title\">Open action items</h2>\n");
        if (actions.Count == 0)
        {
            sb.Append("<p>No open action items.</p>\n");
        }
        else
        {
            sb.Append("<p>").Append(Html.Number(actions.Count)).Append(" open across all incidents, overdue first")
              .Append(actions.Count > ActionsShown ? $"; the first {ActionsShown} here, <a href=\"{SitePaths.Actions}\">all of them</a>." : ".")
              .Append("</p>\n");
            ActionTable(sb, actions.Take(ActionsShown), "");
        }
        sb.Append("</section>\n");
        return PageLayout.Page(SitePaths.Home, siteTitle, siteTitle, sb.ToString());
    }

    public static string BuildActions(string siteTitle, IReadOnlyList<ActionItem> actions)
    {
        var sb = new StringBuilder(actions.Count * 400 + 1024);
        sb.Append("<h1>Open action items</h1>\n<p>").Append(Html.Number(actions.Count))
          .Append(" open fix tasks across all incidents, dated ones first by due date (overdue are marked).</p>\n");
        ActionTable(sb, actions, "");
        return PageLayout.Page(SitePaths.Actions, siteTitle, "Open action items", sb.ToString());
    }

    private static void Stats(StringBuilder sb, WindowStats s)
    {
        sb.Append("<section id=\"last-90-days\" aria-labelledby=\"stats-title\">\n<h2 id=\"stats-title\">Last ").Append(WindowStats.Days)
          .Append(" days</h2>\n<p class=\"muted\">Incidents started from ").Append(Html.Time(s.From)).Append(" to ").Append(Html.Time(s.To))
          .Append(" (the newest incident).</p>\n<dl class=\"stats\">\n");
        void Stat(string label, string value, string? title = null)
        {
            sb.Append("<div><dt>").Append(label);
            if (title is not null)
            {
                sb.Append(" <abbr title=\"").Append(Html.Text(title)).Append("\">?</abbr>");
            }
            sb.Append("</dt><dd>").Append(Html.Text(value)).Append("</dd></div>\n");
        }
        Stat("Incidents", Html.Number(s.Count));
        foreach (var (severity, count) in s.BySeverity)
        {
            Stat(Vocabulary.Label(severity), Html.Number(count));
        }
        Stat("Still open", Html.Number(s.Open));
        Stat("MTTD", Html.Duration(s.MeanTimeToDetect) is { Length: > 0 } d ? d : "–", "mean time from start to detection");
        Stat("MTTM", Html.Duration(s.MeanTimeToMitigate) is { Length: > 0 } m ? m : "–", "mean time from start to mitigation");
        Stat("MTTR", Html.Duration(s.MeanTimeToResolve) is { Length: > 0 } r ? r : "–", "mean time from start to resolution");
        sb.Append("</dl>\n</section>\n");
    }

    private static void Table(StringBuilder sb, IReadOnlyList<(Incident Incident, IncidentFacts Facts)> incidents)
    {
        var severities = Enum.GetValues<Severity>().Select(Vocabulary.Label);
        var statuses = Enum.GetValues<IncidentStatus>().Select(Vocabulary.Word);
        var services = incidents.SelectMany(i => i.Incident.Components.Services).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var years = incidents.Select(i => Year(i.Facts)).Where(y => y.Length > 0).Distinct().OrderDescending(StringComparer.Ordinal);

        sb.Append("<section id=\"incidents\" aria-labelledby=\"incidents-title\">\n<h2 id=\"incidents-title\">Incidents</h2>\n")
          .Append("<form class=\"filters\" id=\"filters\" aria-label=\"Filter incidents\">\n");
        void Filter(string name, string label, IEnumerable<string> values)
        {
            sb.Append("<label>").Append(label).Append(" <select name=\"").Append(name).Append("\" data-filter=\"").Append(name)
              .Append("\">\n<option value=\"\">all</option>\n");
            foreach (var v in values)
            {
                sb.Append("<option value=\"").Append(Html.Text(v)).Append("\">").Append(Html.Text(v)).Append("</option>\n");
            }
            sb.Append("</select></label>\n");
        }
        Filter("severity", "Severity", severities);
        Filter("status", "Status", statuses);
        Filter("service", "Service", services);
        Filter("year", "Year", years);
        sb.Append("<output id=\"shown\" aria-live=\"polite\">").Append(Html.Number(incidents.Count)).Append(" incidents</output>\n</form>\n")
          .Append("<div class=\"table-wrap\">\n<table id=\"incident-table\" class=\"sortable\">\n<thead>\n<tr>");
        foreach (var (key, label) in new[]
        {
            ("id", "Id"), ("title", "Title"), ("severity", "Severity"), ("status", "Status"), ("started", "Started"),
            ("duration", "Duration"), ("services", "Services"), ("root-cause", "Root cause"),
        })
        {
            sb.Append("<th scope=\"col\" data-key=\"").Append(key).Append("\"><button type=\"button\">").Append(label).Append("</button></th>");
        }
        sb.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var (incident, facts) in incidents)
        {
            var href = SitePaths.IncidentPage(incident.Id);
            var services2 = incident.Components.Services;
            var duration = facts.TimeToResolve;
            sb.Append("<tr data-severity=\"").Append(Vocabulary.Label(incident.Severity))
              .Append("\" data-status=\"").Append(Vocabulary.Word(incident.Status))
              .Append("\" data-service=\"").Append(Html.Text(string.Join('\n', services2)))
              .Append("\" data-year=\"").Append(Year(facts)).Append("\">")
              .Append("<td><a href=\"").Append(href).Append("\">").Append(Html.Text(incident.Id)).Append("</a></td>")
              .Append("<td>").Append(Html.Text(incident.Title)).Append("</td>")
              .Append("<td data-v=\"").Append((int)incident.Severity).Append("\"><span class=\"sev sev").Append((int)incident.Severity).Append("\">")
              .Append(Vocabulary.Label(incident.Severity)).Append("</span></td>")
              .Append("<td data-v=\"").Append((int)incident.Status).Append("\">").Append(Vocabulary.Word(incident.Status)).Append("</td>")
              .Append("<td data-v=\"").Append(Html.IsoTime(facts.Started)).Append("\">");
            if (facts.Started is { } started)
            {
                sb.Append("<time datetime=\"").Append(Html.IsoTime(started)).Append("\" title=\"").Append(Html.Time(started)).Append("\">")
                  .Append(started.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append("</time>");
            }
            sb.Append("</td><td data-v=\"").Append(duration is { } d ? Html.Number((long)d.TotalSeconds) : "").Append("\">")
              .Append(duration is null ? (incident.Status is IncidentStatus.Resolved or IncidentStatus.Closed ? "" : "ongoing") : Html.Duration(duration))
              .Append("</td><td>").Append(Html.Text(string.Join(", ", services2))).Append("</td>")
              .Append("<td>").Append(Html.Text(IncidentFacts.RootCauseSummary(incident))).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void ActionTable(StringBuilder sb, IEnumerable<ActionItem> actions, string root)
    {
        sb.Append("<div class=\"table-wrap\">\n<table class=\"actions\">\n<thead><tr><th scope=\"col\">Due</th><th scope=\"col\">Task</th>")
          .Append("<th scope=\"col\">Priority</th><th scope=\"col\">Owner</th><th scope=\"col\">Incident</th></tr></thead>\n<tbody>\n");
        foreach (var a in actions)
        {
            var due = a.Task.Due?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";
            sb.Append("<tr data-due=\"").Append(due).Append("\"><td>").Append(due.Length > 0 ? due : "–").Append("</td>")
              .Append("<td><a href=\"").Append(root).Append(SitePaths.IncidentPage(a.Incident.Id)).Append('#').Append(a.Task.Key).Append("\">")
              .Append(a.Task.Key).Append("</a> ").Append(Html.Text(a.Task.Title)).Append("</td>")
              .Append("<td>").Append(Vocabulary.Label(a.Task.Priority)).Append("</td>")
              .Append("<td>").Append(Html.Text(a.Task.Owner)).Append("</td>")
              .Append("<td>").Append(Html.Text(a.Incident.Title)).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</div>\n");
    }

    private static string Year(IncidentFacts facts) =>
        facts.Started is { } s ? s.UtcDateTime.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
}
