using Markdig.Syntax;

namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>Untrusted text must render as text: the hostile incident has exactly the shape of the plain one.</summary>
public class StructureTests
{
    // Everything that could open a block or inline element if pasted raw into Markdown, plus a line break.
    private const string Hostile = "a | b ``` `x` <script>alert(1)</script> *em* _u_ [l](http://x) &amp; ~~s~~ #\n# Heading\n- item\n1. one\n> quote\n---\n===\n    indented\n<div>\n| c | d |";

    private static string Plain(string s) => "Plain words";

    private static string Attack(string s) => s + " " + Hostile;

    public static TheoryData<string> Documents => [.. TemplateSet.StandardDocuments];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Hostile_text_does_not_change_the_document_structure(string doc)
    {
        var plain = Rendering.Render(doc, SampleIncident.Build(Plain));
        var hostile = Rendering.Render(doc, SampleIncident.Build(Attack));

        Assert.Equal(MarkdownStructure.Of(plain), MarkdownStructure.Of(hostile));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Hostile_text_is_shown_not_interpreted_in_html(string doc)
    {
        var markdown = Rendering.Render(doc, SampleIncident.Build(Attack));
        var html = HtmlPage.FromMarkdown(markdown, doc);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<div>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Title_with_markup_shows_its_exact_text_in_the_heading()
    {
        var input = SampleIncident.Build(s => s);
        input = input with { Incident = input.Incident with { Title = "50% of | requests *fail* <b>now</b> ##" } };

        var markdown = Rendering.Render("postmortem", input);

        var heading = MarkdownStructure.Parse(markdown).Descendants<HeadingBlock>().First();
        var text = string.Concat(heading.Inline!.Descendants<Markdig.Syntax.Inlines.LiteralInline>().Select(l => l.Content.ToString()));
        Assert.Equal("Postmortem: 50% of | requests *fail* <b>now</b> ##", text);
    }

    [Fact]
    public void Log_line_with_fences_and_a_leading_hash_stays_inside_its_code_block()
    {
        const string log = "# not a heading\n```\n````bash\nstill log output\n~~~";
        var input = SampleIncident.Build();
        var evidence = input.Evidence.Select(e => e.Number == 3 ? e with { Content = log } : e).ToList();

        var markdown = Rendering.Render("root-cause", input with { Evidence = evidence });

        var blocks = MarkdownStructure.Parse(markdown).Descendants<FencedCodeBlock>().ToList();
        Assert.Contains(blocks, b => b.Lines.ToString() == log);
        Assert.DoesNotContain(MarkdownStructure.Parse(markdown).Descendants<HeadingBlock>(),
            h => h.Inline!.FirstChild?.ToString() == "not a heading");
    }

    [Fact]
    public void Pipes_in_table_cells_stay_in_their_cell()
    {
        var input = SampleIncident.Build();
        var hypotheses = input.Incident.Hypotheses.Select(h => h with { Title = "a | b | c" }).ToList();

        var markdown = Rendering.Render("hypotheses", input with { Incident = input.Incident with { Hypotheses = hypotheses } });

        var table = MarkdownStructure.Parse(markdown).Descendants<Markdig.Extensions.Tables.Table>().First();
        Assert.All(table.Cast<Markdig.Extensions.Tables.TableRow>(), row => Assert.Equal(6, row.Count));
        Assert.Contains("a | b | c", MarkdownStructure.VisibleText(markdown), StringComparison.Ordinal);
    }
}
