using System.Text;

namespace Hokusai.Incidents.Import.Tests;

public sealed class InputValidationTests
{
    private static InvalidInputException Refused(byte[] bytes, string name) =>
        Assert.Throws<InvalidInputException>(() => MarkdownInvestigationReader.Read(bytes, name));

    [Fact]
    public void Binary_content_is_refused_naming_the_file()
    {
        var e = Refused([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "diagram.png");
        Assert.StartsWith("diagram.png: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Text_that_is_not_utf8_is_refused()
    {
        var latin1 = Encoding.Latin1.GetBytes("# Panne du réseau\n\n- [ ] Redémarrer\n");
        Assert.Contains("not UTF-8", Refused(latin1, "panne.md").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_blank_documents_are_refused()
    {
        Assert.Contains("empty", Refused([], "empty.md").Message, StringComparison.Ordinal);
        Assert.Contains("empty", Refused("\n  \r\n"u8.ToArray(), "blank.md").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Documents_over_the_size_limit_are_refused_before_parsing()
    {
        var big = new byte[MarkdownInvestigationReader.MaxBytes + 1];
        Array.Fill(big, (byte)'a');
        Assert.Contains("limit", Refused(big, "huge.md").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_with_only_a_title_parses_but_warns_that_it_holds_nothing()
    {
        var doc = MarkdownInvestigationReader.Read("# Just a title\n", "title-only.md");
        Assert.True(doc.IsEmpty);
        var warning = Assert.Single(doc.Warnings);
        Assert.StartsWith("title-only.md: ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_nesting_is_refused_rather_than_walked()
    {
        var text = "# Deep\n\n" + string.Concat(Enumerable.Repeat("> ", 200)) + "deep quote\n";
        var e = Assert.Throws<InvalidInputException>(() => MarkdownInvestigationReader.Read(text, "deep.md"));
        Assert.StartsWith("deep.md: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var doc = MarkdownInvestigationReader.Read([.. Encoding.UTF8.GetPreamble(), .. "# Outage: Bom\n\n- [ ] one\n"u8.ToArray()], "bom.md");
        Assert.Equal("Bom", doc.Title);
        Assert.Single(doc.Incident.Tasks);
    }
}
