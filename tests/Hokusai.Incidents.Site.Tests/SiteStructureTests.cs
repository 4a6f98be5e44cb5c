using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Hokusai.Incidents.Site.Tests;

/// <summary>The built site read back with an HTML parser: links, anchors, hosts and escaping.</summary>
[Collection(SiteCollection.Name)]
public sealed class SiteStructureTests(BuiltSite site)
{
    private static readonly HtmlParser Parser = new();
    private readonly Dictionary<string, IDocument> _parsed = new(StringComparer.Ordinal);

    private IDocument Page(string relative)
    {
        var full = Path.GetFullPath(site.PathOf(relative));
        if (!_parsed.TryGetValue(full, out var doc))
        {
            doc = Parser.ParseDocument(File.ReadAllText(full));
            _parsed[full] = doc;
        }
        return doc;
    }

    private IEnumerable<string> HtmlFiles() =>
        Directory.EnumerateFiles(site.SiteDirectory, "*.html", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(site.SiteDirectory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<(IElement Element, string Url)> Urls(IDocument doc) =>
        doc.QuerySelectorAll("[href], [src], [action], [srcset], [poster], [formaction]")
            .SelectMany(e => new[] { "href", "src", "action", "srcset", "poster", "formaction" }
                .Where(e.HasAttribute)
                .Select(a => (e, e.GetAttribute(a)!)));

    [Fact]
    public void Every_incident_in_the_store_is_linked_from_home()
    {
        var home = Page(SitePaths.Home);
        var rows = home.QuerySelectorAll("#incident-table tbody tr");
        Assert.Equal(site.IncidentIds.Count, rows.Length);
        var links = home.QuerySelectorAll("#incident-table a").Select(a => a.GetAttribute("href")).ToHashSet();
        foreach (var id in site.IncidentIds)
        {
            Assert.Contains(SitePaths.IncidentPage(id), links);
        }
        Assert.Equal(10, site.IncidentIds.Count);
    }

    [Fact]
    public void Every_internal_link_resolves_to_a_file_and_its_anchor()
    {
        var checkedLinks = 0;
        foreach (var file in HtmlFiles())
        {
            foreach (var (element, url) in Urls(Page(file)))
            {
                var cut = url.IndexOfAny(['?', '#']);
                var pathPart = cut < 0 ? url : url[..cut];
                var fragment = url.Contains('#') ? url[(url.IndexOf('#') + 1)..] : null;
                var target = pathPart.Length == 0 ? file : Path.GetRelativePath(site.SiteDirectory,
                    Path.GetFullPath(Path.Combine(Path.GetDirectoryName(site.PathOf(file))!, pathPart))).Replace('\\', '/');
                Assert.False(target.StartsWith("..", StringComparison.Ordinal), $"{file}: {url} leaves the site");
                Assert.True(File.Exists(site.PathOf(target)), $"{file}: <{element.LocalName}> {url} -> {target} does not exist");
                if (fragment is { Length: > 0 } && target.EndsWith(".html", StringComparison.Ordinal))
                {
                    Assert.True(Page(target).GetElementById(Uri.UnescapeDataString(fragment)) is not null, $"{file}: {url} has no element #{fragment}");
                }
                checkedLinks++;
            }
        }
        Assert.True(checkedLinks > 500, $"only {checkedLinks} links checked");
    }

    [Fact]
    public void No_page_refers_to_another_host_and_each_sets_a_policy_of_own_files_only()
    {
        foreach (var file in HtmlFiles())
        {
            var doc = Page(file);
            foreach (var (_, url) in Urls(doc))
            {
                Assert.False(url.StartsWith("//", StringComparison.Ordinal) || url.Split('/')[0].Contains(':'),
                    $"{file}: {url} is not a relative URL");
            }
            var policy = doc.QuerySelector("meta[http-equiv='Content-Security-Policy']")?.GetAttribute("content");
            Assert.NotNull(policy);
            Assert.Contains("default-src 'none'", policy);
            Assert.Contains("script-src 'self';", policy);
            Assert.DoesNotContain("unsafe-eval", policy);
            Assert.DoesNotContain("http", policy);
            Assert.False(string.IsNullOrWhiteSpace(doc.Title), $"{file} has no title");
        }
        var css = File.ReadAllText(site.PathOf("assets/site.css"));
        Assert.DoesNotContain("url(", css);
        Assert.DoesNotContain("@import", css);
    }

    [Fact]
    public void Hostile_text_reaches_every_page_as_text_only()
    {
        var hostilePages = 0;
        foreach (var file in HtmlFiles())
        {
            var doc = Page(file);
            foreach (var script in doc.Scripts)
            {
                Assert.True(script.Source is { Length: > 0 } src && src.Contains("assets/", StringComparison.Ordinal), $"{file}: inline or foreign script");
                Assert.True(string.IsNullOrWhiteSpace(script.TextContent), $"{file}: script with inline code");
            }
            foreach (var element in doc.All)
            {
                foreach (var attribute in element.Attributes)
                {
                    Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{file}: <{element.LocalName} {attribute.Name}>");
                    Assert.False(attribute.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase), $"{file}: {attribute.Name}={attribute.Value}");
                    Assert.NotEqual("style", attribute.Name);
                }
            }
            Assert.Empty(doc.QuerySelectorAll("img, iframe, object, embed"));
            if (doc.Body!.TextContent.Contains("<script>alert(1)</script>", StringComparison.Ordinal))
            {
                hostilePages++;
                Assert.Contains("<img src=x onerror=alert(2)>", doc.Body.TextContent, StringComparison.Ordinal);
            }
        }
        // Home, actions, the sample's page and its evidence page show the hostile text, as text.
        Assert.True(hostilePages >= 4, $"hostile text shown on {hostilePages} pages");
        var page = Page(SitePaths.IncidentPage(Rendering.Tests.SampleIncident.Id));
        Assert.StartsWith("Webhook deliveries stuck in the outbound queue <script>alert(1)</script>", page.Title, StringComparison.Ordinal);
        Assert.StartsWith("Webhook deliveries stuck in the outbound queue <script>", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Incident_page_holds_documents_hypotheses_with_history_checklist_tree_timeline_and_similar_incidents()
    {
        var page = Page(SitePaths.IncidentPage(BuiltSite.Example));
        foreach (var doc in Rendering.TemplateSet.StandardDocuments)
        {
            Assert.NotNull(page.GetElementById("doc-" + doc));
            Assert.NotNull(page.QuerySelector($"nav.toc a[href='#doc-{doc}']"));
        }
        var hypotheses = page.QuerySelectorAll("#hypotheses article.hypothesis");
        Assert.Equal(6, hypotheses.Length);
        Assert.Equal(5, page.QuerySelectorAll("#hypotheses article.hypothesis.refuted").Length);
        Assert.NotEmpty(page.QuerySelectorAll("#hypotheses ol.history li"));
        // Evidence linked to a hypothesis points at its evidence page.
        Assert.NotEmpty(page.QuerySelectorAll("#hypotheses a[href^='evidence-1.html#E']"));
        Assert.Equal(93, page.QuerySelectorAll("#fix-checklist li[id^='T']").Length);
        Assert.NotEmpty(page.QuerySelectorAll("#fix-checklist ul.tree li > ul.tree > li"));
        Assert.Equal(18, page.QuerySelectorAll("#timeline ol.timeline li").Length);
        Assert.Contains("gantt", page.QuerySelector("#doc-postmortem pre code.language-mermaid")!.TextContent, StringComparison.Ordinal);
        var similar = page.QuerySelectorAll("#similar a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("../../" + SitePaths.IncidentPage(Search.Tests.KnowledgeBase.BadDeploy), similar);
        Assert.Contains("Model registration failing", page.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_index_is_a_script_with_refuted_hypotheses_root_causes_tasks_and_timeline_entries()
    {
        var script = File.ReadAllText(site.PathOf(SitePaths.SearchIndex));
        Assert.StartsWith("// ", script, StringComparison.Ordinal);
        var json = script[(script.IndexOf('=') + 1)..].Trim().TrimEnd(';');
        var entries = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        var kinds = entries.Where(e => e.GetProperty("i").GetString() == BuiltSite.Example).Select(e => e.GetProperty("k").GetString()).ToList();
        Assert.Contains("incident", kinds);
        Assert.Contains("root cause", kinds);
        Assert.Contains("hypothesis, refuted", kinds);
        Assert.Contains("timeline", kinds);
        Assert.Contains(kinds, k => k!.StartsWith("task", StringComparison.Ordinal));
        // Every hit links to a page of the site and an element on it.
        foreach (var url in entries.Select(e => e.GetProperty("u").GetString()!).Distinct())
        {
            var parts = url.Split('#');
            Assert.True(File.Exists(site.PathOf(parts[0])), $"search hit {url} has no page");
            if (parts.Length > 1)
            {
                Assert.True(Page(parts[0]).GetElementById(parts[1]) is not null, $"search hit {url} has no element #{parts[1]}");
            }
        }
        Assert.DoesNotContain("<script>", script, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003E", script, StringComparison.Ordinal);
    }
}
