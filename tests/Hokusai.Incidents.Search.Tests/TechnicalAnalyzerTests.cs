namespace Hokusai.Incidents.Search.Tests;

/// <summary>How technical tokens are split decides what a search finds; these are the cases engineers type.</summary>
public sealed class TechnicalAnalyzerTests
{
    private static readonly TechnicalAnalyzer Analyzer = new();

    private static string Terms(string text) => string.Join(' ', Analyzer.Tokens(IndexSchema.Text, text).Select(t => t.Term));

    [Theory]
    [InlineData("OOMKilled", "oomkilled oom kill")]
    [InlineData("SyntaxError", "syntaxerror syntax error")]
    [InlineData("HTTPError", "httperror http error")]
    [InlineData("MLflow tracking", "mlflow track")]
    [InlineData("hokusai-api-development", "hokusai-api-development hokusai api develop")]
    [InlineData("10.0.3.219:5000", "10.0.3.219:5000 10.0.3.219 10 0 3 219 5000")]
    [InlineData("GET /api/mlflow/health.", "get /api/mlflow/health api mlflow health")]
    [InlineData("ERROR: timeouts", "error timeout")]
    public void Tokens_are_kept_whole_and_split_into_their_parts(string text, string expected) =>
        Assert.Equal(expected, Terms(text));

    [Fact]
    public void The_index_keeps_words_as_written_beside_their_stems()
    {
        using var index = new TechnicalAnalyzer(originalForms: true);
        var tokens = index.Tokens(IndexSchema.Text, "dns deployed on 10.0.3.219:5000").ToList();
        Assert.Equal("dn dns deploi deployed on 10.0.3.219:5000 10.0.3.219 10 0 3 219 5000", string.Join(' ', tokens.Select(t => t.Term)));
        // The written form shares its stem's position, so phrases are unchanged.
        Assert.Equal(0, tokens.Single(t => t.Term == "dns").PositionIncrement);
    }
}
