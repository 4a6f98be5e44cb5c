namespace Hokusai.Incidents.Import.Tests;

public sealed class HypothesisImportTests
{
    private readonly ImportedDocument _doc = Fixture.Read("checkout-hypotheses.md");

    private Hypothesis H(int n) => _doc.Incident.Hypotheses.Single(h => h.Number == n);

    [Fact]
    public void Table_columns_are_found_by_header_name_whatever_their_order()
    {
        Assert.Equal([1, 2, 3], _doc.Incident.Hypotheses.Select(h => h.Number));
        // H3 is only in the table: its title and label-derived confidence come from there.
        Assert.Equal("Kernel conntrack table full on the NAT", H(3).Title);
        Assert.Equal(Confidences.PercentOf(ConfidenceLevel.Low), H(3).Confidence);
        Assert.Equal("Large", H(3).Complexity);
    }

    [Fact]
    public void A_percentage_in_the_section_beats_the_table_label_and_the_section_title_wins()
    {
        Assert.Equal(75, H(1).Confidence);
        Assert.Equal(55, H(2).Confidence);
        Assert.Equal("Payment Provider Latency Spike", H(1).Title);
        // Where the table words it differently, its wording is kept too; where it only differs in case, it is not repeated.
        Assert.Contains(_doc.Incident.Notes, n => n.Text == "H2: Connection pool exhausted by slow queries");
        Assert.DoesNotContain(_doc.Incident.Notes, n => n.Text.StartsWith("H1: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Extra_table_columns_are_kept_as_notes()
    {
        Assert.Contains(_doc.Incident.Notes, n => n.Text == "H2 Owner: dana" && n.HeadingPath == "Ranking of the hypotheses");
    }

    [Fact]
    public void Bold_labels_and_sub_sections_fill_the_hypothesis()
    {
        var h1 = H(1);
        Assert.Equal("Third-party dependency", h1.Category);
        Assert.Equal(HypothesisStatus.Refuted, h1.Status);
        Assert.StartsWith("The provider's charge endpoint", h1.Description, StringComparison.Ordinal);
        Assert.Equal(2, h1.SupportingEvidence.Count);
        Assert.Single(h1.EvidenceAgainst);
        Assert.StartsWith("Each slow charge", h1.WhyItCausesTheBug, StringComparison.Ordinal);
        Assert.Equal(["Compare provider latency with our queue depth over the incident window"], h1.TestMethod.Steps);
        Assert.Equal("queue depth follows provider latency", h1.TestMethod.ExpectedIfTrue);
        Assert.Equal("queue depth stays high after the provider recovers", h1.TestMethod.ExpectedIfFalse);
        var command = Assert.Single(h1.Commands);
        Assert.Equal("sql", command.Language);
        Assert.Contains("pg_stat_activity", command.Code, StringComparison.Ordinal);
        Assert.StartsWith("Move the reporting job", H(2).QuickFixTest, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_sub_section_of_a_hypothesis_is_a_note_with_its_heading_path()
    {
        Assert.Contains(_doc.Incident.Notes, n =>
            n.HeadingPath == "H2 — Connection Pool Exhausted > Odd Detail Nobody Mapped" && n.Text.StartsWith("The reporting job", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("High (85%)", 85)]
    [InlineData("medium", 50)]
    [InlineData("~40 %", 40)]
    public void Confidence_is_read_from_a_figure_or_a_level(string text, int expected)
    {
        Assert.Equal(expected, Hypotheses.HypothesisSectionRecogniser.ParseConfidence(text)?.Percent);
    }
}
