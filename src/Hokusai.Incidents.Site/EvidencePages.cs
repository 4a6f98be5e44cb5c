using System.Text;

namespace Hokusai.Incidents.Site;

/// <summary>
/// An incident's evidence split into pages of bounded size: a page closes at <see cref="ItemsPerPage"/>
/// items or about <see cref="CharsPerPage"/> characters, and one item shows at most
/// <see cref="CharsPerItem"/> characters, so a 100 MB log never becomes one 100 MB page.
/// </summary>
public sealed class EvidencePages
{
    public const int ItemsPerPage = 100;
    public const int CharsPerPage = 1 << 20;
    public const int CharsPerItem = 256 * 1024;

    private readonly Dictionary<long, int> _pageOf = [];

    private EvidencePages(IReadOnlyList<IReadOnlyList<Evidence>> pages)
    {
        Pages = pages;
        for (var p = 0; p < pages.Count; p++)
        {
            foreach (var e in pages[p])
            {
                _pageOf[e.Number] = p + 1;
            }
        }
    }

    public IReadOnlyList<IReadOnlyList<Evidence>> Pages { get; }

    public static EvidencePages Split(IReadOnlyList<Evidence> evidence)
    {
        var pages = new List<IReadOnlyList<Evidence>>();
        var current = new List<Evidence>();
        long chars = 0;
        foreach (var e in evidence)
        {
            var size = Math.Min(e.Content.Length, CharsPerItem) + 200;
            if (current.Count > 0 && (current.Count >= ItemsPerPage || chars + size > CharsPerPage))
            {
                pages.Add(current);
                current = [];
                chars = 0;
            }
            current.Add(e);
            chars += size;
        }
        if (current.Count > 0)
        {
            pages.Add(current);
        }
        return new EvidencePages(pages);
    }

    /// <summary>The page (1-based) holding an evidence key such as E12, or null when the incident has no such evidence.</summary>
    public int? PageOf(string key) =>
        key.Length > 1 && (key[0] is 'E' or 'e') && long.TryParse(key.AsSpan(1), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var n) && _pageOf.TryGetValue(n, out var p) ? p : null;

    /// <summary>A link from the incident page's folder to an evidence item.</summary>
    public string? Href(string key) => PageOf(key) is { } p ? $"evidence-{p}.html#{key.ToUpperInvariant()}" : null;

    public string Build(string siteTitle, Incident incident, int page)
    {
        var items = Pages[page - 1];
        var path = SitePaths.EvidencePage(incident.Id, page);
        var sb = new StringBuilder(items.Sum(e => Math.Min(e.Content.Length, CharsPerItem)) * 11 / 10 + 4096);
        sb.Append("<p class=\"crumbs\"><a href=\"index.html\">").Append(Html.Text(incident.Title)).Append("</a> › Evidence</p>\n")
          .Append("<h1>Evidence, page ").Append(page).Append(" of ").Append(Pages.Count).Append("</h1>\n");
        Pager(sb, page);
        foreach (var e in items)
        {
            sb.Append("<article class=\"evidence\" id=\"").Append(e.Key).Append("\">\n<h2>").Append(e.Key).Append(' ')
              .Append(Html.Text(Vocabulary.Word(e.Kind))).Append(e.Title is { Length: > 0 } ? ": " + Html.Text(e.Title) : "").Append("</h2>\n<p class=\"meta\">");
            if (e.Time is { } t)
            {
                sb.Append("<time datetime=\"").Append(Html.IsoTime(t)).Append("\">").Append(Html.Time(t)).Append("</time> ");
            }
            if (e.Source is { Length: > 0 })
            {
                sb.Append("· source <code>").Append(Html.Text(e.Source)).Append("</code> ");
            }
            Links(sb, "supports", e.Supports);
            Links(sb, "refutes", e.Refutes);
            sb.Append("</p>\n");
            if (e.Attributes.Count > 0)
            {
                sb.Append("<dl class=\"attributes\">");
                foreach (var (k, v) in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    sb.Append("<dt>").Append(Html.Text(k)).Append("</dt><dd>").Append(Html.Text(v)).Append("</dd>");
                }
                sb.Append("</dl>\n");
            }
            var shown = e.Content.Length > CharsPerItem ? e.Content[..CharsPerItem] : e.Content;
            sb.Append("<pre><code>").Append(Html.Text(shown)).Append("</code></pre>\n");
            if (shown.Length < e.Content.Length)
            {
                sb.Append("<p class=\"muted\">").Append(Html.Number(e.Content.Length - shown.Length))
                  .Append(" more characters not shown; <code>incidents evidence list</code> or <code>incidents export</code> has them all.</p>\n");
            }
            sb.Append("</article>\n");
        }
        Pager(sb, page);
        return PageLayout.Page(path, siteTitle, $"Evidence {page}/{Pages.Count}: {incident.Title}", sb.ToString());
    }

    private static void Links(StringBuilder sb, string verb, IReadOnlyList<string> targets)
    {
        if (targets.Count == 0)
        {
            return;
        }
        sb.Append("· ").Append(verb).Append(' ');
        foreach (var (target, i) in targets.Select((t, i) => (t, i)))
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            // Links were checked against the incident when stored; the key itself is still text from the store.
            sb.Append("<a href=\"index.html#").Append(Html.Text(target)).Append("\">").Append(Html.Text(target)).Append("</a>");
        }
        sb.Append(' ');
    }

    private void Pager(StringBuilder sb, int page)
    {
        if (Pages.Count < 2)
        {
            return;
        }
        sb.Append("<nav class=\"pager\" aria-label=\"Evidence pages\">");
        if (page > 1)
        {
            sb.Append("<a rel=\"prev\" href=\"evidence-").Append(page - 1).Append(".html\">← previous</a> ");
        }
        // First, last and the pages near this one: thousands of pages must not make every page a list of thousands.
        var gap = false;
        for (var p = 1; p <= Pages.Count; p++)
        {
            if (p != 1 && p != Pages.Count && Math.Abs(p - page) > 5)
            {
                if (!gap)
                {
                    sb.Append("… ");
                }
                gap = true;
                continue;
            }
            gap = false;
            sb.Append(p == page ? $"<span aria-current=\"page\">{p}</span> " : $"<a href=\"evidence-{p}.html\">{p}</a> ");
        }
        if (page < Pages.Count)
        {
            sb.Append("<a rel=\"next\" href=\"evidence-").Append(page + 1).Append(".html\">next →</a>");
        }
        sb.Append("</nav>\n");
    }
}
