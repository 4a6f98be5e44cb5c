namespace Hokusai.Incidents.Core.Tests;

public class TimelineTests
{
    private static readonly DateTimeOffset Now = new(2025, 8, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly Incident Base = new()
    {
        Id = "x",
        Title = "x",
        Times = new IncidentTimes { Started = new DateTimeOffset(2025, 8, 18, 9, 0, 0, TimeSpan.Zero), Detected = new DateTimeOffset(2025, 8, 18, 10, 0, 0, TimeSpan.Zero) },
    };

    private static TimelineEntry At(string time, TimelineKind kind = TimelineKind.Action) =>
        new() { At = TimeInput.Parse(time, Now), Text = time, Kind = kind };

    [Fact]
    public void Entries_are_kept_in_time_order_whatever_order_they_arrive_in()
    {
        var i = Base.AddTimelineEntry(At("2025-08-19T10:00Z"), Now)
            .AddTimelineEntry(At("2025-08-18T11:00Z"), Now)
            .AddTimelineEntry(At("2025-08-18T12:00Z"), Now);
        Assert.Equal(["2025-08-18T11:00Z", "2025-08-18T12:00Z", "2025-08-19T10:00Z"], i.Timeline.Select(e => e.Text));
        Assert.All(i.Timeline, e => Assert.Null(e.Flag));
    }

    [Fact]
    public void An_entry_in_the_future_is_flagged() =>
        Assert.Contains("future", Base.AddTimelineEntry(At("2025-09-01T00:00Z"), Now).Timeline.Single().Flag);

    [Fact]
    public void An_entry_before_the_incident_started_is_flagged() =>
        Assert.Contains("before the incident started", Base.AddTimelineEntry(At("2025-08-17T00:00Z"), Now).Timeline.Single().Flag);

    [Fact]
    public void Mitigation_before_detection_is_flagged() =>
        Assert.Contains("before the incident was detected",
            Base.AddTimelineEntry(At("2025-08-18T09:30Z", TimelineKind.Mitigation), Now).Timeline.Single().Flag);

    [Fact]
    public void Milestones_out_of_order_are_reported()
    {
        var problems = TimelineChecks.CheckMilestones(Base.Times with { Resolved = Base.Times.Started!.Value.AddHours(-1) }, Now);
        Assert.Contains(problems, p => p.Contains("resolved", StringComparison.Ordinal) && p.Contains("before started", StringComparison.Ordinal));
    }
}
