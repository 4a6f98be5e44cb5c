namespace Hokusai.Incidents.Import.Tests;

/// <summary>What each postmortem shape under Fixtures/Shapes becomes.</summary>
public sealed class ShapeImportTests
{
    private static ImportedDocument Read(string name) => Fixture.Read(Path.Combine("Shapes", name));

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    [Fact]
    public void Front_matter_table_timeline_in_a_named_zone_and_an_action_table()
    {
        var doc = Read("front-matter-table-timeline.md");
        var i = doc.Incident;
        Assert.Equal("Search results empty after index rebuild", i.Title);
        Assert.Equal(Severity.Sev2, doc.Severity);
        Assert.Equal(["search", "elasticsearch"], i.Tags);
        // "All times are in PST": 01:10 PST is 09:10 UTC on the front matter's date.
        Assert.Equal(5, i.Timeline.Count);
        Assert.Equal(Utc("2024-03-05T09:10:00Z"), i.Timeline[0].At);
        Assert.Equal(TimelineKind.Detection, i.Timeline[2].Kind);
        Assert.Equal(Utc("2024-03-05T09:10:00Z"), i.Times.Started);
        Assert.Equal(Utc("2024-03-05T10:05:00Z"), i.Times.Detected);
        Assert.Equal(Utc("2024-03-05T10:50:00Z"), i.Times.Resolved);
        Assert.Equal(IncidentStatus.Resolved, doc.Status);

        Assert.Equal(3, i.Tasks.Count);
        Assert.Equal(("priya", new DateOnly(2024, 3, 20), Priority.P1), (i.Tasks[0].Owner, i.Tasks[0].Due, i.Tasks[0].Priority));
        Assert.Equal(("Tomas", new DateOnly(2024, 4, 1)), (i.Tasks[1].Owner, i.Tasks[1].Due));
        Assert.Equal("sre-team", i.Tasks[2].Owner);
        Assert.Null(i.Tasks[2].Due);

        Assert.StartsWith("1. The reindex job", i.RootCause);
        Assert.Equal(["The rollback took **one command**."], i.WentWell);
        Assert.Single(i.WentWrong);
        Assert.Single(i.GotLucky);
        Assert.Contains("**product search index**", i.Summary);
        // Authors have no field: kept as a note. So is the link reference definition.
        Assert.Contains(i.Notes, n => n.Text.Contains("Priya N.", StringComparison.Ordinal));
        Assert.Contains(i.Notes, n => n.Text == "[status-page]: https://status.example.test/incidents/42");
    }

    [Fact]
    public void Dated_headings_carry_their_text_and_a_five_whys_chain_stays_in_order()
    {
        var doc = Read("heading-timeline-5whys.md");
        var i = doc.Incident;
        // The title sits below a leading quote.
        Assert.Equal("Queue backlog stalls invoice emails", i.Title);
        Assert.Equal(Severity.Sev2, doc.Severity);
        Assert.Equal(IncidentStatus.Resolved, doc.Status);
        Assert.Equal(3, i.Timeline.Count);
        Assert.Equal(Utc("2021-06-03T09:40:00Z"), i.Timeline[1].At);
        Assert.Contains("Support reports customers", i.Timeline[1].Text);
        Assert.Equal(TimelineKind.Mitigation, i.Timeline[2].Kind);
        Assert.NotNull(i.RootCause);
        var whys = i.RootCause!.Split('\n');
        Assert.Equal(5, whys.Length);
        Assert.StartsWith("1. Why were emails late?", whys[0]);
        Assert.StartsWith("5. Why did nobody notice?", whys[4]);
        Assert.Equal(2, i.Lessons.Count);

        Assert.Equal(4, i.Tasks.Count);
        Assert.Equal(("billing-team", new DateOnly(2021, 6, 30)), (i.Tasks[0].Owner, i.Tasks[0].Due));
        Assert.Equal("Add a dead-letter queue for `invoice-mail-queue`", i.Tasks[0].Title);
        Assert.Equal("marco", i.Tasks[1].Owner);
        Assert.Equal(3, i.Tasks[3].Parent);
    }

    [Fact]
    public void Time_stamped_bullets_in_several_zones_take_the_date_line()
    {
        var i = Read("bullet-timeline-zones.md").Incident;
        Assert.Equal(
            [Utc("2023-11-14T08:02:00Z"), Utc("2023-11-14T08:09:00Z"), Utc("2023-11-14T08:20:00Z"), Utc("2023-11-14T10:18:00Z"), Utc("2023-11-14T09:30:00Z")],
            i.Timeline.Select(e => e.At));
        Assert.Equal("First customer ticket about failed logins", i.Timeline[1].Text);
        // A line without a time is not a reason to drop the list: it stays a note.
        Assert.Contains(i.Notes, n => n.Text.Contains("Team discussed moving renewals", StringComparison.Ordinal) && n.HeadingPath == "Timeline");
        Assert.Equal(2, i.Tasks.Count);
        Assert.Equal(("identity-team", new DateOnly(2023, 12, 15)), (i.Tasks[0].Owner, i.Tasks[0].Due));
        Assert.Equal("Automate renewal for every public certificate", i.Tasks[0].Title);
        Assert.Equal("About 30% of EU logins failed for roughly two hours.", i.BusinessImpact);
    }

    [Fact]
    public void A_plain_date_line_among_bold_header_fields_dates_the_incident_and_its_bare_times()
    {
        var doc = Read("mixed-header-lines.md");
        var i = doc.Incident;
        Assert.Equal(Severity.Sev2, doc.Severity);
        Assert.Equal(IncidentStatus.Resolved, doc.Status);
        // Without the date the bare times had no day and all three bullets fell back to notes.
        Assert.Equal([Utc("2021-03-09T14:02:00Z"), Utc("2021-03-09T14:15:00Z"), Utc("2021-03-09T14:41:00Z")], i.Timeline.Select(e => e.At));
        Assert.Equal(Utc("2021-03-09T14:02:00Z"), i.Times.Started);
        Assert.DoesNotContain(i.Notes, n => n.Text.Contains("Date:", StringComparison.Ordinal) || n.Text.Contains("14:02", StringComparison.Ordinal));
        Assert.Equal(("dana", new DateOnly(2021, 4, 1)), (i.Tasks[0].Owner, i.Tasks[0].Due));
    }

    [Fact]
    public void A_window_in_cet_and_a_stated_duration_give_start_and_resolution()
    {
        var window = Read("window-duration.md");
        Assert.Equal(Utc("2022-09-12T09:00:00Z"), window.Incident.Times.Started);
        Assert.Equal(Utc("2022-09-12T10:30:00Z"), window.Incident.Times.Resolved);
        Assert.Equal(Severity.Sev3, window.Severity);
        Assert.Equal("A retry storm from the mobile client multiplied traffic by four.", window.Incident.RootCause);

        var duration = Read("duration-only.md");
        Assert.Equal(Utc("2020-02-01T14:00:00Z"), duration.Incident.Times.Started);
        Assert.Equal(Utc("2020-02-01T17:00:00Z"), duration.Incident.Times.Resolved);
        Assert.Contains("config push", duration.Incident.Trigger);
        Assert.True(duration.Incident.Tasks[0].Done);
        Assert.Equal("platform", duration.Incident.Tasks[1].Owner);
    }

    [Fact]
    public void A_bare_time_with_no_date_anywhere_is_kept_as_a_note_never_dated_by_the_import_day()
    {
        var doc = MarkdownInvestigationReader.Read("# Pager storm\n\n## Timeline\n\n- 13:26 alert fires\n- 13:40 muted\n", "undated.md");
        Assert.Empty(doc.Incident.Timeline);
        Assert.Equal(2, doc.Incident.Notes.Count);
    }
}
