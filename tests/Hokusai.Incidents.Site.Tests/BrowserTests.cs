using OpenQA.Selenium;

namespace Hokusai.Incidents.Site.Tests;

/// <summary>
/// The site as a person uses it, in a real headless Chromium, opened straight from disk (file://):
/// filter the table, search, open the example incident and see its timeline drawn. Takes the README's
/// screenshots (into docs/screenshots when HOKUSAI_UPDATE_SCREENSHOTS=1, else beside the site).
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class BrowserTests(BuiltSite site, Browser browser) : IClassFixture<Browser>
{
    // One browser for all these tests: starting Chromium is most of their time.
    private readonly Browser _browser = browser;

    private IWebDriver Driver => _browser.Driver;

    private void Open(string relative, string? query = null, int width = 1280, int height = 900)
    {
        _browser.Resize(width, height);
        Driver.Navigate().GoToUrl(site.UriOf(relative).AbsoluteUri + (query ?? ""));
    }

    private string Screenshot(string name)
    {
        var shot = ((ITakesScreenshot)Driver).GetScreenshot();
        var update = Environment.GetEnvironmentVariable("HOKUSAI_UPDATE_SCREENSHOTS") == "1";
        var path = update ? BuiltSite.RepositoryFile($"docs/screenshots/{name}.png") : Path.Combine(site.Directory, name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        shot.SaveAsFile(path);
        return path;
    }

    private IReadOnlyList<IWebElement> VisibleRows() =>
        [.. Driver.FindElements(By.CssSelector("#incident-table tbody tr")).Where(r => r.Displayed)];

    [Fact]
    public void Home_from_disk_filters_by_severity_and_sorts_from_the_keyboard()
    {
        Open(SitePaths.Home, height: 1100);
        Assert.Equal("Test incidents", Driver.Title);
        Assert.Equal(site.IncidentIds.Count, VisibleRows().Count);
        Screenshot("home");

        var severity = Driver.FindElement(By.CssSelector("select[data-filter='severity']"));
        severity.FindElement(By.CssSelector("option[value='SEV2']")).Click();
        var rows = _browser.WaitFor(_ => VisibleRows() is { Count: < 10 } r ? r : null)!;
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("SEV2", r.GetAttribute("data-severity")));
        Assert.Equal($"{rows.Count} incidents", Driver.FindElement(By.Id("shown")).Text);
        Assert.EndsWith("#severity=SEV2", Driver.Url, StringComparison.Ordinal);
        severity.FindElement(By.CssSelector("option[value='']")).Click();
        _browser.WaitFor(_ => VisibleRows().Count == site.IncidentIds.Count);

        // Keyboard: tab to the Title column's sort button and press Enter.
        var titleButton = Driver.FindElement(By.CssSelector("th[data-key='title'] button"));
        titleButton.SendKeys(Keys.Enter);
        Assert.Equal("ascending", Driver.FindElement(By.CssSelector("th[data-key='title']")).GetAttribute("aria-sort"));
        var titles = VisibleRows().Select(r => r.FindElements(By.TagName("td"))[1].Text.ToLowerInvariant()).ToList();
        Assert.Equal(titles.Order(StringComparer.Ordinal), titles);
    }

    [Fact]
    public void Search_for_SyntaxError_opens_the_example_incident_with_its_timeline_drawn()
    {
        Open(SitePaths.Home);
        var box = Driver.FindElement(By.Id("q"));
        box.SendKeys("SyntaxError");
        box.SendKeys(Keys.Enter);

        var hit = _browser.WaitFor(d => d.FindElements(By.CssSelector("#search-results a"))
            .FirstOrDefault(a => a.GetAttribute("href")!.Contains(BuiltSite.Example, StringComparison.Ordinal)));
        Assert.Contains("search.html?q=SyntaxError", Driver.Url, StringComparison.Ordinal);
        Screenshot("search");
        hit!.Click();

        _browser.WaitFor(d => d.Url.Contains(BuiltSite.Example, StringComparison.Ordinal));
        Assert.StartsWith("Model registration failing", Driver.Title, StringComparison.Ordinal);
        var svg = _browser.WaitFor(d => d.FindElements(By.CssSelector("#doc-postmortem div.mermaid svg")).FirstOrDefault(), 30);
        Assert.Equal("gantt", svg!.GetAttribute("aria-roledescription"));
        Assert.NotEmpty(svg.FindElements(By.CssSelector("rect, path")));
        Assert.Empty(Driver.FindElements(By.CssSelector("pre > code.language-mermaid")));

        Open(SitePaths.IncidentPage(BuiltSite.Example), height: 1500);
        Screenshot("incident");
        ((IJavaScriptExecutor)Driver).ExecuteScript("arguments[0].scrollIntoView()", svg = _browser.WaitFor(d => d.FindElements(By.CssSelector("div.mermaid svg")).FirstOrDefault()));
        Screenshot("incident-timeline");
    }

    [Theory]
    [InlineData("504")]
    [InlineData("/api/mlflow/health")]
    [InlineData("10.0.3.219:5000")]
    [InlineData("syntaxerror")]
    public void Search_finds_what_engineers_type(string query)
    {
        Open(SitePaths.Search, "?q=" + Uri.EscapeDataString(query));
        var links = _browser.WaitFor(d => d.FindElements(By.CssSelector("#search-results a")) is { Count: > 0 } l ? l : null)!;
        Assert.Contains(links, a => a.GetAttribute("href")!.Contains(BuiltSite.Example, StringComparison.Ordinal));
        Assert.Equal(query, Driver.FindElement(By.Id("q")).GetAttribute("value"));
    }

    [Fact]
    public void Refuted_hypotheses_are_found_and_nonsense_finds_nothing()
    {
        Open(SitePaths.Search, "?q=" + Uri.EscapeDataString("resolver cache stale"));
        var hit = _browser.WaitFor(d => d.FindElements(By.CssSelector("#search-results li")).FirstOrDefault());
        Assert.Contains("hypothesis, refuted", hit!.Text, StringComparison.Ordinal);

        Open(SitePaths.Search, "?q=zzqxnotaword");
        _browser.WaitFor(d => d.FindElement(By.Id("search-status")).Text.StartsWith("No matches", StringComparison.Ordinal));
        Assert.Empty(Driver.FindElements(By.CssSelector("#search-results li")));
    }

    [Fact]
    public void Pages_fit_a_phone_width_screen()
    {
        foreach (var page in new[] { SitePaths.Home, SitePaths.IncidentPage(BuiltSite.Example), SitePaths.EvidencePage(BuiltSite.Example, 1) })
        {
            Open(page, width: 390, height: 844);
            var overflow = (long)((IJavaScriptExecutor)Driver).ExecuteScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")!;
            Assert.True(overflow <= 1, $"{page} is {overflow}px wider than a 390px screen");
        }
        Open(SitePaths.Home, width: 390, height: 844);
        Screenshot("home-phone");
    }
}
