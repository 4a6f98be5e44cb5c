using System.Text.RegularExpressions;
using Hokusai.Incidents.Redaction;
using Hokusai.Incidents.Rendering;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Import.Tests;

/// <summary>
/// Nothing invisible: every content line of every fixture document reaches at least one rendered document
/// of the incident it was imported into (recognised as a field, task or timeline entry, or shown under
/// "Other Notes"), and imported Markdown renders as Markdown, not escaped.
/// </summary>
public sealed partial class CoverageTests
{
    public static TheoryData<string> Folders => ["Archive", "Shapes", ""];

    [Theory]
    [MemberData(nameof(Folders))]
    public void Every_content_line_of_each_fixture_reaches_a_rendered_document(string folder)
    {
        using var h = new CliHarness();
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures", folder);
        var target = Path.Combine(h.Directory, "docs");
        Directory.CreateDirectory(target);
        var names = Directory.GetFiles(source, "*.md").Select(Path.GetFileName).OfType<string>().Order().ToList();
        foreach (var name in names)
        {
            File.Copy(Path.Combine(source, name), Path.Combine(target, name));
        }
        // --separate: each file's own incident, so a line counts only where its own document put it.
        var files = h.Run("import", "docs", "--separate", "--json").ShouldSucceed().Json.EnumerateArray().ToList();

        var missing = new List<string>();
        foreach (var name in names)
        {
            var id = files.Single(f => f.GetProperty("file").GetString() == Path.Combine("docs", name)).GetProperty("incidentId").GetString()!;
            var outDir = Path.Combine(h.Directory, "out", id);
            h.Run("render", id, "--doc", "all", "--out", outDir).ShouldSucceed();
            var rendered = Words(string.Join("\n", Directory.GetFiles(outDir, "*.md").Select(File.ReadAllText)).Replace("\\", "", StringComparison.Ordinal));
            foreach (var line in ContentLines(File.ReadAllLines(Path.Combine(source, name))))
            {
                var lost = Words(Redactor.Default.Redact(line)).Except(rendered).Except(Normalised).ToList();
                if (lost.Count > 0)
                {
                    missing.Add($"{name}: \"{line.Trim()}\" (missing: {string.Join(", ", lost)})");
                }
            }
        }
        Assert.True(missing.Count == 0, $"{missing.Count} lines reach no rendered document:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Imported_markdown_renders_as_the_author_wrote_it_and_hostile_markdown_stays_harmless()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("cache.md"), """
            # Checkout latency after a cache flush

            **Date**: 2024-03-05

            ## Summary

            The **checkout** service slowed after a [cache flush](https://wiki.example/flush) ran `FLUSHALL`.

            - the warm-up job was off
              - nobody noticed *for a day*

            ## Root cause

            A cron job ran `FLUSHALL`. <script>alert(1)</script> and [click](javascript:alert(1))

            ## Appendix nobody reads

            # Injected heading

            | Region | Impact |
            |---|---|
            | eu | **high** |
            """);
        h.Run("import", "cache.md").ShouldSucceed();
        var id = h.Run("list", "--json").ShouldSucceed().Json.EnumerateArray().Single().GetProperty("id").GetString()!;
        h.Run("render", id, "--doc", "postmortem", "--out", "out", "--html").ShouldSucceed();
        var markdown = File.ReadAllText(h.PathOf(Path.Combine("out", "postmortem.md")));
        var html = File.ReadAllText(h.PathOf(Path.Combine("out", "postmortem.html")));

        Assert.DoesNotContain("\\*\\*checkout", markdown, StringComparison.Ordinal);
        Assert.Contains("<strong>checkout</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://wiki.example/flush\">cache flush</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>FLUSHALL</code>", html, StringComparison.Ordinal);
        Assert.Contains("<em>for a day</em>", html, StringComparison.Ordinal);
        Assert.Contains("<td><strong>high</strong></td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        // The document's own heading is text in a note, not a new section of the postmortem.
        Assert.DoesNotContain("<h1 id=\"injected-heading\"", html, StringComparison.Ordinal);
        Assert.Contains("Injected heading", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// The lines that carry content: not headings (their words are structure, and a note shows its heading
    /// path), not table header rows or front matter fences, and without the label of a "**Key**: value" line.
    /// </summary>
    private static IEnumerable<string> ContentLines(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || line == "---")
            {
                continue;
            }
            if (line.StartsWith('|') && i + 1 < lines.Length && TableRule().IsMatch(lines[i + 1]))
            {
                continue;
            }
            yield return Label().Replace(line, "");
        }
    }

    // Words the importer reads as values and shows in normal form: zones become UTC, severity words SEV1-4, URLs host and path.
    private static readonly string[] Normalised = ["utc", "cet", "cest", "pst", "pdt", "est", "edt", "gmt", "critical", "major", "minor", "high", "medium", "low", "http", "https"];

    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}")]
    private static partial Regex TableRule();

    [GeneratedRegex(@"^(?:[-*]\s+)?(?:\*\*[^*]+\*\*\s*:|[A-Za-z][A-Za-z ]{0,30}:(?=\s|$))")]
    private static partial Regex Label();

    [Fact]
    public void Text_typed_over_an_imported_field_or_task_title_renders_escaped()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("q.md"), "# Queue stall\n\n**Date**: 2024-03-05\n\n## Summary\n\nThe **queue** stalled.\n\n## Action items\n\n- Add an **alarm**\n");
        h.Run("import", "q.md").ShouldSucceed();
        var id = h.Run("list", "--json").ShouldSucceed().Json.EnumerateArray().Single().GetProperty("id").GetString()!;
        string Html() => HtmlPage.FromMarkdown(h.Run("render", id, "--doc", "postmortem").ShouldSucceed().Out, "postmortem");
        Assert.Contains("<strong>queue</strong>", Html(), StringComparison.Ordinal);
        Assert.Contains("<strong>alarm</strong>", Html(), StringComparison.Ordinal);

        h.Run("update", id, "--summary", "The **broker** stalled").ShouldSucceed();
        h.Run("task", "set", id, "T1", "--title", "Add a **pager**").ShouldSucceed();

        var html = Html();
        Assert.Contains("The **broker** stalled", html, StringComparison.Ordinal);
        Assert.Contains("Add a **pager**", html, StringComparison.Ordinal);
    }

    private static HashSet<string> Words(string text) =>
        [.. WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    // Words of three letters or more: times and numbers are reformatted (zones to UTC, ISO dates), words are not.
    [GeneratedRegex(@"\p{L}{3,}")]
    private static partial Regex WordPattern();
}
