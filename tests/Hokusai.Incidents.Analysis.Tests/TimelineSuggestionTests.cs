using Hokusai.Incidents.Rendering;

namespace Hokusai.Incidents.Analysis.Tests;

public sealed class TimelineSuggestionTests
{
    [Fact]
    public async Task An_outage_pulled_from_AWS_is_told_in_time_order_citing_its_evidence()
    {
        await using var outage = new AwsOutage();
        await outage.PullAsync();
        var incident = outage.Store.Get(outage.IncidentId);
        var evidence = outage.Store.ListEvidence(outage.IncidentId).ToList();

        var suggested = TimelineSuggestions.Suggest(incident, evidence);

        string Keys(Func<Evidence, bool> which) => string.Join(",", evidence.Where(which).Select(e => e.Key));
        bool Deployment(Evidence e, string id) => e.Title == "deployment" && e.Content.Contains(id, StringComparison.Ordinal);
        var expected = new (string Moment, DateTimeOffset At, TimelineKind Kind, string Evidence)[]
        {
            ("deployment-started", AwsOutage.At(0), TimelineKind.Deploy, Keys(e => Deployment(e, "ecs-svc/1114"))),
            ("first-error", AwsOutage.At(0, 30), TimelineKind.Observation,
                Keys(e => e.Time == AwsOutage.At(0, 30)) + "," + Keys(e => e.Time == AwsOutage.At(0, 30).AddMilliseconds(11 * 1700))),
            ("task-stopped", AwsOutage.At(0, 40), TimelineKind.Observation, Keys(e => e.Title == "stopped task")),
            ("service-unhealthy", AwsOutage.At(1, 10), TimelineKind.Observation, Keys(e => e.Content.Contains("is unhealthy in", StringComparison.Ordinal))),
            ("last-error", AwsOutage.At(4, 35), TimelineKind.Observation, Keys(e => e.Time == AwsOutage.At(4, 35))),
            ("endpoint-unhealthy", AwsOutage.At(6), TimelineKind.Detection, Keys(e => e.Kind == EvidenceKind.EndpointCheck && e.Time == AwsOutage.At(6))),
            ("task-not-placed", AwsOutage.At(10), TimelineKind.Observation, Keys(e => e.Content.Contains("unable to place", StringComparison.Ordinal))),
            ("deployment-started", AwsOutage.At(40), TimelineKind.Deploy, Keys(e => Deployment(e, "ecs-svc/1115"))),
            ("deployment-completed", AwsOutage.At(44, 30), TimelineKind.Mitigation,
                Keys(e => Deployment(e, "ecs-svc/1115")) + "," + Keys(e => e.Content.Contains("steady state", StringComparison.Ordinal))),
            ("endpoint-healthy", AwsOutage.At(46), TimelineKind.Resolution, Keys(e => e.Kind == EvidenceKind.EndpointCheck && e.Time == AwsOutage.At(46))),
        };
        Assert.Equal(expected.Select(x => x.Moment), suggested.Select(s => s.Moment));
        for (var i = 0; i < expected.Length; i++)
        {
            var s = suggested[i];
            Assert.Equal($"S{i + 1}", s.Id);
            Assert.True((s.At - expected[i].At).Duration() < TimeSpan.FromMinutes(1), $"{s.Id} {s.Moment} at {s.At:O}, source says {expected[i].At:O}");
            Assert.Equal(expected[i].Kind, s.Kind);
            Assert.Equal(expected[i].Evidence, string.Join(",", s.Evidence));
        }
        Assert.Contains("3 tasks", suggested[2].Text);
        Assert.Contains("Essential container in task exited", suggested[2].Text);
        Assert.Contains("exit code 1", suggested[2].Text);
        Assert.Contains("12 errors", suggested[1].Text);
        Assert.Equal([Milestone.Detected, Milestone.Mitigated, Milestone.Resolved], suggested.Where(s => s.Sets is not null).Select(s => s.Sets!.Value));

        var accepted = outage.Store.Update(outage.IncidentId, i => TimelineSuggestions.Accept(i, suggested, DateTimeOffset.UtcNow));

        Assert.Equal(AwsOutage.At(6), accepted.Times.Detected);
        Assert.Equal(AwsOutage.At(44, 30), accepted.Times.Mitigated);
        Assert.Equal(AwsOutage.At(46), accepted.Times.Resolved);
        Assert.Equal(suggested.Count, accepted.Timeline.Count);
        Assert.All(accepted.Timeline, e => Assert.NotEmpty(e.Evidence));
        // Nothing is proposed twice once accepted.
        Assert.Empty(TimelineSuggestions.Suggest(accepted, evidence));

        var templates = TemplateSet.Load(TemplateSet.FindShipped(AppContext.BaseDirectory, Repository.Root), null);
        var postmortem = new DocumentRenderer(templates).Render("postmortem", new RenderInput { Incident = accepted, Evidence = evidence }).Markdown;
        Assert.Contains("| Time to detect | 2025-08-20T13:00:00Z (started) | 2025-08-20T13:06:00Z (detected) | 6 minutes |", postmortem);
        Assert.Contains("| Time to mitigate | 2025-08-20T13:00:00Z (started) | 2025-08-20T13:44:30Z (mitigated) | 44 minutes 30 seconds |", postmortem);
        Assert.Contains("| Time to resolve | 2025-08-20T13:00:00Z (started) | 2025-08-20T13:46:00Z (resolved) | 46 minutes |", postmortem);
    }

    [Fact]
    public void Picking_suggestions_by_id_names_an_unknown_one()
    {
        var list = new[]
        {
            new TimelineSuggestion("S1", DateTimeOffset.UnixEpoch, TimelineKind.Deploy, "deployment-started", "a", ["E1"], null),
            new TimelineSuggestion("S2", DateTimeOffset.UnixEpoch, TimelineKind.Deploy, "deployment-started", "b", ["E2"], null),
        };
        Assert.Equal(["S2"], TimelineSuggestions.Pick(list, "s2").Select(s => s.Id));
        Assert.Equal(2, TimelineSuggestions.Pick(list, "all").Count);
        var e = Assert.Throws<NotFoundException>(() => TimelineSuggestions.Pick(list, "S1,S7"));
        Assert.Contains("S7", e.Message);
        Assert.Throws<InvalidInputException>(() => TimelineSuggestions.Pick(list, "first"));
    }
}
