using System.Text;

namespace Hokusai.Incidents.Site;

/// <summary>The frame every page shares: head with the security policy, header with the search box, main, footer.</summary>
public static class PageLayout
{
    /// <summary>Only the site's own files may load; nothing may connect anywhere, and no inline script runs.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>
    /// The same for pages with diagrams: Mermaid writes each diagram's theme as a &lt;style&gt; element and
    /// style attributes inside its SVG (a hash cannot cover them: they vary per diagram), so those pages
    /// alone allow inline styles. Scripts stay limited to the site's files.
    /// </summary>
    public const string DiagramContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Which scripts a page needs beyond the site's own.</summary>
    [Flags]
    public enum Scripts
    {
        None = 0,
        Mermaid = 1,
        Search = 2,
    }

    public static string Page(string path, string siteTitle, string pageTitle, string main, Scripts scripts = Scripts.None, string? query = null)
    {
        var root = SitePaths.RootFrom(path);
        var title = pageTitle == siteTitle ? siteTitle : $"{pageTitle} · {siteTitle}";
        var sb = new StringBuilder(main.Length + 2048);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(scripts.HasFlag(Scripts.Mermaid) ? DiagramContentSecurityPolicy : ContentSecurityPolicy).Append("\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
          .Append("<title>").Append(Html.Text(title)).Append("</title>\n")
          .Append("<link rel=\"stylesheet\" href=\"").Append(root).Append("assets/site.css\">\n");
        if (scripts.HasFlag(Scripts.Mermaid))
        {
            sb.Append("<script src=\"").Append(root).Append("assets/mermaid.min.js\" defer></script>\n");
        }
        if (scripts.HasFlag(Scripts.Search))
        {
            sb.Append("<script src=\"").Append(root).Append("assets/minisearch.js\" defer></script>\n")
              .Append("<script src=\"").Append(root).Append(SitePaths.SearchIndex).Append("\" defer></script>\n");
        }
        sb.Append("<script src=\"").Append(root).Append("assets/site.js\" defer></script>\n")
          .Append("</head>\n<body>\n")
          .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
          .Append("<header class=\"site\">\n<a class=\"brand\" href=\"").Append(root).Append(SitePaths.Home).Append("\">")
          .Append(Html.Text(siteTitle)).Append("</a>\n")
          .Append("<form class=\"search\" role=\"search\" action=\"").Append(root).Append(SitePaths.Search).Append("\" method=\"get\">\n")
          .Append("<label for=\"q\" class=\"visually-hidden\">Search incidents</label>\n")
          .Append("<input id=\"q\" name=\"q\" type=\"search\" placeholder=\"Search: 504, /api/mlflow/health, SyntaxError…\" autocomplete=\"off\"");
        if (query is not null)
        {
            sb.Append(" value=\"").Append(Html.Text(query)).Append('"');
        }
        sb.Append(">\n<button type=\"submit\">Search</button>\n</form>\n</header>\n")
          .Append("<main id=\"main\" tabindex=\"-1\">\n").Append(main).Append("</main>\n")
          .Append("<footer class=\"site\"><a href=\"").Append(root).Append(SitePaths.Home).Append("\">All incidents</a> · <a href=\"")
          .Append(root).Append(SitePaths.Actions).Append("\">Open action items</a> · Built by <code>incidents site</code>; works offline.</footer>\n")
          .Append("</body>\n</html>\n");
        return sb.ToString();
    }
}
