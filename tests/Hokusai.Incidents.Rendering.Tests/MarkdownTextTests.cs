using Markdig.Syntax;

namespace Hokusai.Incidents.Rendering.Tests;

public class MarkdownTextTests
{
    [Theory]
    [InlineData("plain", "```\nplain\n```\n")]
    [InlineData("a ``` b", "````\na ``` b\n````\n")]
    [InlineData("x ````` y", "``````\nx ````` y\n``````\n")]
    public void Fence_is_longer_than_any_backtick_run(string content, string expected) =>
        Assert.Equal(expected, MarkdownText.Fence(content));

    [Fact]
    public void Fence_language_cannot_smuggle_backticks_or_spaces() =>
        Assert.Equal("```bash\nls\n```\n", MarkdownText.Fence("ls", "ba`sh evil"));

    [Theory]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`x", "`` `x ``")]
    [InlineData("two\nlines", "`two lines`")]
    public void Code_span_is_delimited_by_more_backticks_than_it_holds(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.Code(text));

    [Fact]
    public void Code_span_shows_its_exact_text()
    {
        var code = MarkdownStructure.Parse("x " + MarkdownText.Code("`a`` b`") + " y").Descendants<Markdig.Syntax.Inlines.CodeInline>().Single();
        Assert.Equal("`a`` b`", code.Content);
    }

    [Theory]
    [InlineData(0, "0 seconds")]
    [InlineData(45, "45 seconds")]
    [InlineData(61, "1 minute 1 second")]
    [InlineData(3600 + 120, "1 hour 2 minutes")]
    [InlineData(86400 * 2 + 3600, "2 days 1 hour")]
    public void Durations_read_as_words(int seconds, string expected) =>
        Assert.Equal(expected, MarkdownText.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Mermaid_labels_lose_characters_that_end_a_label() =>
        Assert.Equal("a, b c, d", MarkdownText.Mermaid("a: b #c; d"));
}
