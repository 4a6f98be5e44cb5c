using System.Security.Cryptography;
using System.Text;

namespace Hokusai.Incidents.Site;

/// <summary>Where each page of the site lives, relative to the site's root, always with '/' separators.</summary>
public static class SitePaths
{
    public const string Home = "index.html";
    public const string Search = "search.html";
    public const string Actions = "actions.html";
    public const string Assets = "assets/";
    public const string SearchIndex = "assets/search-index.js";

    /// <summary>
    /// The folder of an incident's pages. Ids are slugs, so usually the id itself; any other id gets a
    /// safe name plus a short hash, so two odd ids never share a folder and no id can climb out of the site.
    /// </summary>
    public static string IncidentFolder(string id)
    {
        if (id.Length is > 0 and <= 120 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')
            && id[0] != '-')
        {
            return "incidents/" + id;
        }
        var safe = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').Take(60)]).Trim('-');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..10];
        return $"incidents/{(safe.Length == 0 ? "incident" : safe)}-{hash}";
    }

    public static string IncidentPage(string id) => IncidentFolder(id) + "/index.html";

    public static string EvidencePage(string id, int page) => $"{IncidentFolder(id)}/evidence-{page}.html";

    /// <summary>The prefix that leads from a page back to the root: "" for root pages, "../../" for incident pages.</summary>
    public static string RootFrom(string page) => string.Concat(Enumerable.Repeat("../", page.Count(c => c == '/')));
}
