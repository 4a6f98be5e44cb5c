using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Site.Tests;

/// <summary>Rebuilds, paging and the output directory: what a team sees when the site is built again and again.</summary>
public sealed class SiteBuildTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-site-build-" + Guid.NewGuid().ToString("N"));

    public SiteBuildTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);

    private LiteDbIncidentStore SeededStore()
    {
        var store = LiteDbIncidentStore.Open(Path.Combine(_dir, "incidents.db"));
        BuiltSite.Seed(store);
        return store;
    }

    [Fact]
    public void Same_store_gives_the_same_bytes_and_a_change_rewrites_only_what_shows_it()
    {
        using var store = SeededStore();
        var a = Path.Combine(_dir, "a");
        var b = Path.Combine(_dir, "b");
        var first = BuiltSite.Build(store, a);
        BuiltSite.Build(store, b);
        var filesA = Files(a);
        var filesB = Files(b);
        Assert.Equal(filesA.Keys.Order(StringComparer.Ordinal), filesB.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in filesA)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(filesB[name]), $"{name} differs between two builds of the same store");
        }

        var again = BuiltSite.Build(store, a);
        Assert.Empty(again.WrittenFiles);
        Assert.Equal(first.Written, again.Unchanged);
        // Nothing changed, so no incident's pages were even built again.
        Assert.Equal(first.Incidents, first.BuiltIncidents.Count);
        Assert.Empty(again.BuiltIncidents);

        var before = Files(a);
        store.Update(Search.Tests.KnowledgeBase.Redis, i => i with { Title = "Redis port blocked by the new network ACL" });
        var changed = BuiltSite.Build(store, a);
        Assert.Contains(SitePaths.IncidentPage(Search.Tests.KnowledgeBase.Redis), changed.WrittenFiles);
        // Only incidents whose pages show something of the change are built again: the changed one, and
        // those that list it as similar (here all of them: the title shows in their links).
        Assert.Contains(Search.Tests.KnowledgeBase.Redis, changed.BuiltIncidents);
        Assert.All(changed.BuiltIncidents, id => Assert.Contains(SitePaths.IncidentPage(id), changed.WrittenFiles));
        Assert.Contains(SitePaths.Home, changed.WrittenFiles);
        Assert.Contains(SitePaths.SearchIndex, changed.WrittenFiles);
        // Other incidents' evidence pages, the assets and the search page do not show that title.
        Assert.DoesNotContain(SitePaths.EvidencePage(BuiltSite.Example, 1), changed.WrittenFiles);
        Assert.DoesNotContain(changed.WrittenFiles, f => f.StartsWith("assets/", StringComparison.Ordinal) && f != SitePaths.SearchIndex);
        Assert.DoesNotContain(SitePaths.Search, changed.WrittenFiles);
        // Another incident's page is rewritten only when its similar incidents changed: the changed title
        // is listed there, or the search scores that rank them moved with the changed text.
        foreach (var page in changed.WrittenFiles.Where(f => f.StartsWith("incidents/", StringComparison.Ordinal) && !f.Contains(Search.Tests.KnowledgeBase.Redis)))
        {
            var similarBefore = SimilarSection(System.Text.Encoding.UTF8.GetString(before[page]));
            var similarAfter = SimilarSection(File.ReadAllText(Path.Combine(a, page)));
            Assert.NotEqual(similarBefore, similarAfter);
        }
    }

    [Fact]
    public void A_change_only_its_own_page_shows_builds_that_incident_alone_again()
    {
        using var store = SeededStore();
        var site = Path.Combine(_dir, "site");
        BuiltSite.Build(store, site);
        store.Update(Search.Tests.KnowledgeBase.Redis, i => i with { Severity = Severity.Sev1 });

        var result = BuiltSite.Build(store, site);

        Assert.Equal([Search.Tests.KnowledgeBase.Redis], result.BuiltIncidents);
        Assert.Contains(SitePaths.IncidentPage(Search.Tests.KnowledgeBase.Redis), result.WrittenFiles);
        Assert.Contains("SEV1", File.ReadAllText(Path.Combine(site, SitePaths.IncidentPage(Search.Tests.KnowledgeBase.Redis))), StringComparison.OrdinalIgnoreCase);
        // A page kept from the last build is still there and listed for the next one.
        Assert.True(File.Exists(Path.Combine(site, SitePaths.IncidentPage(BuiltSite.Example))));
        Assert.Empty(BuiltSite.Build(store, site).RemovedFiles);
    }

    [Fact]
    public void A_rebuild_of_an_unchanged_store_takes_similar_incidents_from_the_last_build_without_the_index()
    {
        using var store = SeededStore();
        var site = Path.Combine(_dir, "site");
        var first = BuiltSite.Build(store, site);
        var index = Search.IndexSchema.DirectoryFor(store.Location);
        Directory.Delete(index, recursive: true);

        var again = BuiltSite.Build(store, site);
        Assert.Empty(again.WrittenFiles);
        Assert.False(Directory.Exists(index), "an unchanged store needs no search index");

        store.Update(BuiltSite.Example, i => i with { Summary = i.Summary + " Updated." });
        BuiltSite.Build(store, site);
        Assert.True(Directory.Exists(index), "a changed store asks the index again");
        Assert.True(first.Written > 0);
    }

    [Fact]
    public void A_page_removed_by_hand_is_built_again_even_though_its_incident_did_not_change()
    {
        using var store = SeededStore();
        var site = Path.Combine(_dir, "site");
        BuiltSite.Build(store, site);
        var page = Path.Combine(site, SitePaths.IncidentPage(BuiltSite.Example));
        File.Delete(page);

        var result = BuiltSite.Build(store, site);

        Assert.Equal([BuiltSite.Example], result.BuiltIncidents);
        Assert.True(File.Exists(page));
    }

    private static string SimilarSection(string html) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).GetElementById("similar")!.OuterHtml;

    [Fact]
    public void A_deleted_incident_loses_its_pages_on_the_next_build()
    {
        using var store = SeededStore();
        var site = Path.Combine(_dir, "site");
        BuiltSite.Build(store, site);
        Assert.True(File.Exists(Path.Combine(site, SitePaths.IncidentPage(Search.Tests.KnowledgeBase.Oom))));

        store.Delete(Search.Tests.KnowledgeBase.Oom);
        var result = BuiltSite.Build(store, site);

        Assert.Contains(SitePaths.IncidentPage(Search.Tests.KnowledgeBase.Oom), result.RemovedFiles);
        Assert.False(Directory.Exists(Path.Combine(site, SitePaths.IncidentFolder(Search.Tests.KnowledgeBase.Oom))));
        Assert.DoesNotContain(Search.Tests.KnowledgeBase.Oom, File.ReadAllText(Path.Combine(site, SitePaths.Home)), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_evidence_is_split_into_pages_of_bounded_size_each_item_once()
    {
        using var store = LiteDbIncidentStore.Open(Path.Combine(_dir, "big.db"));
        store.Create(new Incident
        {
            Id = "big-logs",
            Title = "Log flood",
            Hypotheses = [new Hypothesis { Number = 1, Title = "Retry storm" }],
        });
        var line = new string('x', 90) + "\n";
        store.AddEvidence([.. Enumerable.Range(1, 260).Select(n => new Evidence
        {
            IncidentId = "big-logs",
            Kind = EvidenceKind.LogExcerpt,
            Content = $"event {n}\n" + string.Concat(Enumerable.Repeat(line, n == 7 ? 4000 : 100)),
            Supports = n % 100 == 0 ? ["H1"] : [],
        })]);
        // One item far above the per-item limit.
        store.AddEvidence([new Evidence { IncidentId = "big-logs", Kind = EvidenceKind.LogExcerpt, Content = new string('y', EvidencePages.CharsPerItem * 3) }]);
        var site = Path.Combine(_dir, "site");

        BuiltSite.Build(store, site);

        var folder = Path.Combine(site, SitePaths.IncidentFolder("big-logs"));
        var pages = Directory.GetFiles(folder, "evidence-*.html");
        Assert.True(pages.Length >= 3, $"{pages.Length} evidence pages");
        var seen = new List<string>();
        foreach (var page in pages)
        {
            Assert.True(new FileInfo(page).Length < 2 * EvidencePages.CharsPerPage, $"{page} is {new FileInfo(page).Length} bytes");
            var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(File.ReadAllText(page));
            seen.AddRange(doc.QuerySelectorAll("article.evidence").Select(a => a.Id!));
        }
        Assert.Equal(261, seen.Count);
        Assert.Equal(261, seen.Distinct().Count());
        var incidentPage = File.ReadAllText(Path.Combine(site, SitePaths.IncidentPage("big-logs")));
        var e200 = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(incidentPage).QuerySelector("#H1 a[href$='#E200']")!.GetAttribute("href")!;
        Assert.Contains("id=\"E200\"", File.ReadAllText(Path.Combine(folder, e200.Split('#')[0])), StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_writes_the_site_with_its_title_and_refuses_a_directory_it_did_not_write()
    {
        using var h = new CliHarness();
        h.Run("import", BuiltSite.RepositoryFile($"incidents/{BuiltSite.Example}")).ShouldSucceed();

        var run = h.Run("site", "--out", "kb", "--title", "Platform <incidents>").ShouldSucceed();

        Assert.Contains("Site of 1 incident(s) in kb:", run.Out, StringComparison.Ordinal);
        var home = File.ReadAllText(h.PathOf("kb/index.html"));
        Assert.Contains("<title>Platform &lt;incidents&gt;</title>", home, StringComparison.Ordinal);
        Assert.Contains(SitePaths.IncidentPage(BuiltSite.Example), home, StringComparison.Ordinal);

        Directory.CreateDirectory(h.PathOf("notes"));
        File.WriteAllText(h.PathOf("notes/todo.txt"), "mine");
        var refused = h.Run("site", "--out", "notes");
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"incidents: error: output directory '{h.PathOf("notes")}' is not empty", refused.Error, StringComparison.Ordinal);
        Assert.Single(refused.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("mine", File.ReadAllText(h.PathOf("notes/todo.txt")));
        Assert.Single(Directory.GetFileSystemEntries(h.PathOf("notes")));
    }

    [Fact]
    public void A_task_that_is_its_own_parent_or_in_a_parent_loop_is_shown_once_like_everywhere_else()
    {
        using var store = LiteDbIncidentStore.Open(Path.Combine(_dir, "tasks.db"));
        store.Put(new Incident
        {
            Id = "hand-edited-tasks",
            Title = "Checklist edited by hand",
            Tasks =
            [
                new FixTask { Number = 1, Title = "Points at itself", Parent = 1 },
                new FixTask { Number = 2, Title = "Loop one", Parent = 3 },
                new FixTask { Number = 3, Title = "Loop two", Parent = 2 },
                new FixTask { Number = 4, Title = "Ordinary parent" },
                new FixTask { Number = 5, Title = "Ordinary child", Parent = 4 },
            ],
        });
        BuiltSite.Build(store, Path.Combine(_dir, "site"));
        var page = File.ReadAllText(Path.Combine(_dir, "site", SitePaths.IncidentPage("hand-edited-tasks")));
        // Before, a task whose parent was itself was nobody's root and nobody's child: the site lost it.
        foreach (var n in new[] { 1, 4, 5 })
        {
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, $"<li id=\"T{n}\""));
        }
        Assert.Contains("<ul class=\"tree\">\n<li id=\"T5\"", page, StringComparison.Ordinal);
        // The loop has no top in TaskTree either; what matters is that the build ends.
        Assert.True(System.Text.RegularExpressions.Regex.Matches(page, "<li id=\"T[23]\"").Count <= 2);
    }
}
