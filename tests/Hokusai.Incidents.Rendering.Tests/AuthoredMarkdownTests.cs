using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>
/// Text imported from Markdown renders as its author wrote it (bold, links, code, nested lists, tables),
/// yet cannot open a section, run HTML or script, or leave the list item the template put it in.
/// </summary>
public class AuthoredMarkdownTests
{
    private const string Rich = "The **checkout** worker lost its [runbook](https://wiki.example/run%20book) after `FLUSHALL`.\n\n- first cause\n  - nested *detail*\n- second cause\n\n| Region | Impact |\n|---|---|\n| eu | **high** |";

    // Markdown an attacker (or a careless paste) could put in an imported document.
    private const string HostileMarkdown = "words\n\n# Injected Heading\n\n## Another\n\n<script>alert(1)</script>\n\n<div onclick=\"x\">div</div>\n\n[click](javascript:alert(1)) [data](data:text/html,hi) ![img](javascript:x) <javascript:alert(2)>\n\nText <img src=x onerror=alert(3)> and `code`\n\n---\nSetext\n===\n\n> quote with\n> # heading inside\n\n- item\n\n      indented code\n\n```\n# fenced\n```";

    private static RenderInput Authored(Func<string, string> text)
    {
        var input = SampleIncident.Build(text);
        var i = input.Incident;
        i = i with
        {
            MarkdownFields = [.. MarkdownOrigin.Prose.Keys],
            Timeline = [.. i.Timeline.Select(e => e with { Markdown = true })],
            Tasks = [.. i.Tasks.Select(t => t with { Markdown = true })],
            Hypotheses = [.. i.Hypotheses.Select(h => h with { Markdown = true })],
            Notes = [new Note { Text = text("A note nobody recognised"), HeadingPath = "Appendix > Misc", Source = "doc.md", Markdown = true }],
        };
        return input with { Incident = i };
    }

    private static List<string> Headings(string markdown) =>
        [.. MarkdownStructure.Parse(markdown).Descendants<HeadingBlock>().Select(h => $"h{h.Level}")];

    [Fact]
    public void Bold_links_code_nested_lists_and_tables_survive_in_the_postmortem()
    {
        var input = SampleIncident.Build();
        input = input with { Incident = input.Incident with { Summary = Rich, MarkdownFields = [nameof(Incident.Summary)] } };

        var markdown = Rendering.Render("postmortem", input);
        var html = HtmlPage.FromMarkdown(markdown, "postmortem");

        Assert.DoesNotContain("\\*\\*checkout", markdown, StringComparison.Ordinal);
        Assert.Contains("<strong>checkout</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://wiki.example/run%20book\">runbook</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>FLUSHALL</code>", html, StringComparison.Ordinal);
        var doc = MarkdownStructure.Parse(markdown);
        var nested = doc.Descendants<ListBlock>().Where(l => l.Parent is ListItemBlock).ToList();
        Assert.Contains(nested, l => l.Descendants<EmphasisInline>().Any());
        var table = Assert.Single(doc.Descendants<Table>(), t => t.Descendants<LiteralInline>().Any(x => x.Content.ToString() == "Region"));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Typed_text_stays_escaped_where_the_same_field_is_not_from_markdown()
    {
        var input = SampleIncident.Build();
        input = input with { Incident = input.Incident with { Summary = "**not bold**", MarkdownFields = null } };

        var html = HtmlPage.FromMarkdown(Rendering.Render("postmortem", input), "postmortem");

        Assert.Contains("**not bold**", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<strong>not bold</strong>", html, StringComparison.Ordinal);
    }

    public static TheoryData<string> Documents => [.. TemplateSet.StandardDocuments];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Hostile_markdown_opens_no_section_runs_no_html_and_keeps_no_unsafe_link(string doc)
    {
        var plain = Rendering.Render(doc, Authored(s => "Plain words"));
        var hostile = Rendering.Render(doc, Authored(s => s + "\n\n" + HostileMarkdown));

        Assert.Equal(Headings(plain), Headings(hostile));
        var parsed = MarkdownStructure.Parse(hostile);
        Assert.Empty(parsed.Descendants<HtmlBlock>());
        Assert.Empty(parsed.Descendants<HtmlInline>());
        Assert.All(parsed.Descendants<LinkInline>(), l => Assert.False(l.Url?.Contains("javascript", StringComparison.OrdinalIgnoreCase) == true || l.Url?.StartsWith("data:", StringComparison.OrdinalIgnoreCase) == true, l.Url));
        var html = HtmlPage.FromMarkdown(hostile, doc);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=\"x\"", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("investigation")]
    [InlineData("postmortem")]
    public void Hostile_markdown_stays_inside_its_list_item(string doc)
    {
        // Each lesson or note is one list item, however many blocks its Markdown holds.
        var markdown = Rendering.Render(doc, Authored(s => s + "\n\n" + HostileMarkdown));
        var notes = MarkdownStructure.Parse(markdown).Descendants<HeadingBlock>().Single(h => h.Level == 3 && Text(h) == "Appendix > Misc");
        var parent = notes.Parent!;
        var after = parent.Skip(parent.IndexOf(notes) + 1).TakeWhile(b => b is not HeadingBlock).ToList();
        var list = Assert.IsType<ListBlock>(Assert.Single(after));
        Assert.Single(list);
    }

    [Fact]
    public void Headings_in_imported_text_become_bold_lines()
    {
        var block = MarkdownSanitizer.Block("## Root cause\n\nThe cache.");
        Assert.Equal("\n   **Root cause**\n\n   The cache.", block);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("vbscript:x")]
    [InlineData("file:///etc/passwd")]
    public void Links_to_other_schemes_keep_their_words_only(string url)
    {
        var line = MarkdownSanitizer.Line($"see [the page]({url}) now");
        Assert.Equal("see the page now", line);
    }

    [Fact]
    public void Table_cells_get_one_line_with_pipes_escaped()
    {
        var line = MarkdownSanitizer.Line("**a | b** and `x|y`\n\n- one\n- two");
        Assert.Equal("**a \\| b** and x\\|y one; two", line);
    }

    [Fact]
    public void Diagram_labels_get_the_words_without_markup()
    {
        Assert.Equal("Deploy of api finished", MarkdownSanitizer.Plain("**Deploy** of `api` finished").Replace("  ", " ", StringComparison.Ordinal));
    }

    private static string Text(HeadingBlock h) =>
        string.Concat(h.Inline!.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
}
