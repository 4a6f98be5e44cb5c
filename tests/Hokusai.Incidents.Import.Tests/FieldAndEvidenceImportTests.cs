using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Import.Tests;

public sealed class FieldAndEvidenceImportTests
{
    private readonly ImportedDocument _doc = Fixture.Read("checkout-incident-crlf.md");

    [Fact]
    public void Bold_key_value_lines_fill_the_incident_fields()
    {
        var i = _doc.Incident;
        Assert.Equal("Checkout Payments Timing Out", i.Title);
        Assert.Equal(Severity.Sev2, _doc.Severity);
        Assert.Equal(IncidentStatus.Mitigating, _doc.Status);
        Assert.Equal("Shoppers in the EU region paying by card", i.AffectedUsers);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 14, 2, 0, TimeSpan.Zero), i.Times.Started);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 14, 9, 0, TimeSpan.Zero), i.Times.Detected);
        Assert.Equal(["payments", "rds", "connection-pool"], i.Tags);
        Assert.Equal(["payments-api", "checkout-web"], i.Components.Services);
        Assert.Single(i.Components.Databases);
        Assert.Equal("A reporting job moved into business hours and held most of the pool with slow queries.", i.RootCause);
        Assert.Equal(2, i.Lessons.Count);
    }

    [Fact]
    public void Dated_timeline_bullets_become_timeline_entries()
    {
        var timeline = _doc.Incident.Timeline;
        Assert.Equal(3, timeline.Count);
        Assert.Equal(TimelineKind.Detection, timeline[1].Kind);
        Assert.Equal(TimelineKind.Deploy, timeline[2].Kind);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 14, 31, 0, TimeSpan.Zero), timeline[2].At);
    }

    [Fact]
    public void Code_under_an_evidence_heading_is_evidence_with_its_language()
    {
        var log = Assert.Single(_doc.Evidence, e => e.Kind == EvidenceKind.LogExcerpt);
        Assert.Equal("text", log.Language);
        Assert.Equal("Error Output", log.Title);
        Assert.StartsWith("2026-03-04T14:03:11Z ERROR pool", log.Content, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', log.Content);
    }

    [Fact]
    public void Endpoint_lines_become_endpoint_checks_with_url_status_and_timeout()
    {
        var checks = _doc.Evidence.Where(e => e.Kind == EvidenceKind.EndpointCheck).ToList();
        Assert.Equal(2, checks.Count);
        Assert.Equal("https://shop.example.com/v2/charge", checks[0].Attributes[EvidenceAttributes.Url]);
        Assert.Equal("504", checks[0].Attributes[EvidenceAttributes.StatusCode]);
        Assert.Equal("/healthz", checks[1].Attributes[EvidenceAttributes.Url]);
        Assert.Equal("timeout", checks[1].Attributes[EvidenceAttributes.Outcome]);
        Assert.Equal("10", checks[1].Attributes[EvidenceAttributes.TimeoutSeconds]);
    }

    [Fact]
    public void Relative_endpoint_paths_take_the_host_named_in_the_heading()
    {
        var doc = MarkdownInvestigationReader.Read("## Still Broken\n\n### Gateway (edge.example.org)\n\n- `/status` - 503 Service Unavailable\n", "edge.md");
        var check = Assert.Single(doc.Evidence);
        Assert.Equal("https://edge.example.org/status", check.Attributes[EvidenceAttributes.Url]);
    }

    [Fact]
    public void Unrecognised_sections_are_kept_verbatim_with_their_heading()
    {
        var notes = _doc.Incident.Notes.Where(n => n.HeadingPath == "Scratchpad").Select(n => n.Text).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Equal("> Ask finance whether the reporting job can move back to 02:00.", notes[0]);
    }

    [Fact]
    public void A_footer_after_a_rule_is_a_note_not_part_of_the_section_prose()
    {
        var doc = MarkdownInvestigationReader.Read("# Report: Edge\n\n## Summary\n\nThe edge tier dropped TLS handshakes.\n\n---\n*Written by the on-call engineer*\n", "edge.md");
        Assert.Equal("The edge tier dropped TLS handshakes.", doc.Incident.Summary);
        var note = Assert.Single(doc.Incident.Notes);
        Assert.Equal("*Written by the on-call engineer*", note.Text);
        Assert.Equal("Summary", note.HeadingPath);
    }

    [Fact]
    public void Line_endings_do_not_change_what_is_read()
    {
        var crlf = Fixture.Text("checkout-incident-crlf.md");
        Assert.Contains("\r\n", crlf, StringComparison.Ordinal);
        var lf = MarkdownInvestigationReader.Read(crlf.ReplaceLineEndings("\n"), "checkout-incident-crlf.md");
        Assert.Equal(IncidentJson.Serialize(lf.Incident), IncidentJson.Serialize(_doc.Incident));
        Assert.Equal(lf.Evidence.Select(e => e.DedupKey), _doc.Evidence.Select(e => e.DedupKey));
    }

    [Fact]
    public void Every_part_of_the_document_is_accounted_for_in_the_placements()
    {
        Assert.Contains(_doc.Placements, p => p.Target == "field:severity" && p.Heading == "Overview");
        Assert.Contains(_doc.Placements, p => p.Target == "evidence:endpoint-check" && p.Count == 2);
        Assert.Equal(_doc.Incident.Notes.Count, _doc.Placements.Count(p => p.Target == "note"));
    }
}
