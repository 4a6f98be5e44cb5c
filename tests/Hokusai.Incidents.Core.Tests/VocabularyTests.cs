namespace Hokusai.Incidents.Core.Tests;

public class VocabularyTests
{
    [Theory]
    [InlineData("critical", Severity.Sev1)]
    [InlineData("SEV1", Severity.Sev1)]
    [InlineData("high", Severity.Sev2)]
    [InlineData("Sev-3", Severity.Sev3)]
    [InlineData("medium", Severity.Sev3)]
    [InlineData("low", Severity.Sev4)]
    public void Severity_accepts_levels_and_aliases(string text, Severity expected) =>
        Assert.Equal(expected, Vocabulary.ParseSeverity(text));

    [Fact]
    public void Unknown_severity_names_the_input_and_the_choices()
    {
        var e = Assert.Throws<InvalidInputException>(() => Vocabulary.ParseSeverity("urgent"));
        Assert.Contains("'urgent'", e.Message);
        Assert.Contains("SEV1", e.Message);
    }

    [Theory]
    [InlineData("log", EvidenceKind.LogExcerpt)]
    [InlineData("log-excerpt", EvidenceKind.LogExcerpt)]
    [InlineData("ecs-event", EvidenceKind.EcsEvent)]
    [InlineData("endpoint-check", EvidenceKind.EndpointCheck)]
    [InlineData("command-output", EvidenceKind.CommandOutput)]
    [InlineData("note", EvidenceKind.Note)]
    public void Evidence_kinds_parse_from_their_json_words(string text, EvidenceKind expected)
    {
        Assert.Equal(expected, Vocabulary.ParseEvidenceKind(text));
        Assert.Equal(expected, Vocabulary.ParseEvidenceKind(Vocabulary.Word(expected)));
    }

    [Theory]
    [InlineData("H3", 3)]
    [InlineData("h12", 12)]
    [InlineData("7", 7)]
    public void Hypothesis_numbers_accept_the_prefix_or_not(string text, int expected) =>
        Assert.Equal(expected, Vocabulary.ParseHypothesisNumber(text));

    [Theory]
    [InlineData("T0")]
    [InlineData("X4")]
    [InlineData("T-1")]
    [InlineData("")]
    public void Bad_task_numbers_are_rejected(string text) =>
        Assert.Throws<InvalidInputException>(() => Vocabulary.ParseTaskNumber(text));

    [Theory]
    [InlineData(85, ConfidenceLevel.High)]
    [InlineData(70, ConfidenceLevel.High)]
    [InlineData(60, ConfidenceLevel.Medium)]
    [InlineData(40, ConfidenceLevel.Medium)]
    [InlineData(20, ConfidenceLevel.Low)]
    public void Confidence_levels_match_the_way_the_seeds_label_percentages(int percent, ConfidenceLevel level) =>
        Assert.Equal(level, Confidences.LevelOf(percent));
}
