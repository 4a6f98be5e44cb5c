using Hokusai.Incidents.Redaction;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Analysis.Tests;

public sealed class PostmortemReviewTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Start.AddDays(2);

    /// <summary>A finished write-up a reviewer has nothing to say about.</summary>
    private static Incident Clean() => new()
    {
        Id = "queue-stall",
        Title = "Order consumers stall after a broker failover",
        Status = IncidentStatus.Resolved,
        RootCause = "Consumers kept the connection to the old primary broker",
        BusinessImpact = "Orders were confirmed 40 minutes late",
        Lessons = ["Failover drills must include consumers"],
        Times = new IncidentTimes { Started = Start, Detected = Start.AddMinutes(10), Mitigated = Start.AddMinutes(50), Resolved = Start.AddHours(2) },
        Timeline =
        [
            new TimelineEntry { At = Start.AddMinutes(10), Kind = TimelineKind.Detection, Text = "Queue depth alarm", Evidence = ["E1"] },
            new TimelineEntry { At = Start.AddMinutes(50), Kind = TimelineKind.Mitigation, Text = "Consumers restarted" },
            new TimelineEntry { At = Start.AddHours(2), Kind = TimelineKind.Resolution, Text = "Backlog drained" },
        ],
        Hypotheses =
        [
            new Hypothesis { Number = 1, Title = "Consumers keep the old connection", Status = HypothesisStatus.Confirmed },
            new Hypothesis { Number = 2, Title = "Prefetch too high", Status = HypothesisStatus.Refuted },
        ],
        Tasks =
        [
            new FixTask { Number = 1, Title = "Reconnect on failover", Owner = "ana", Due = new DateOnly(2025, 3, 20) },
            new FixTask { Number = 2, Title = "Add a drill step", Parent = 1 },
            new FixTask { Number = 3, Title = "Done already", Done = true },
        ],
    };

    private static readonly Evidence[] Linked =
    [
        new Evidence { IncidentId = "queue-stall", Number = 1, Kind = EvidenceKind.Note, Content = "queue depth 40000", Supports = ["H1"] },
    ];

    private static IReadOnlyList<LintFinding> Lint(Incident incident, IEnumerable<Evidence>? evidence = null, LintOptions? options = null) =>
        PostmortemReview.Check(incident, evidence ?? Linked, options ?? new LintOptions { Now = Now });

    private static LintFinding Only(IReadOnlyList<LintFinding> findings, string rule)
    {
        Assert.All(findings, f => Assert.Equal(rule, f.Rule));
        return Assert.Single(findings);
    }

    [Fact]
    public void A_clean_postmortem_has_nothing_flagged() => Assert.Empty(Lint(Clean()));

    [Fact]
    public void An_open_hypothesis_on_a_resolved_incident_is_flagged_but_not_while_investigating()
    {
        var incident = Clean() with { Hypotheses = [.. Clean().Hypotheses, new Hypothesis { Number = 3, Title = "DNS cache" }] };
        var f = Only(Lint(incident), PostmortemReview.Rules.OpenHypothesis);
        Assert.Equal("H3", f.Where);
        Assert.Contains("hypothesis set queue-stall H3", f.Fix);
        Assert.DoesNotContain(Lint(incident with { Status = IncidentStatus.Investigating, Times = incident.Times with { Resolved = null } }),
            x => x.Rule == PostmortemReview.Rules.OpenHypothesis);
    }

    [Fact]
    public void Open_action_items_without_owner_or_due_date_are_flagged_sub_items_inheriting_their_parents()
    {
        var incident = Clean() with { Tasks = [.. Clean().Tasks, new FixTask { Number = 4, Title = "Alert on consumer lag", Owner = "ben" }, new FixTask { Number = 5, Title = "Write runbook" }] };
        var findings = Lint(incident);
        Assert.Equal([PostmortemReview.Rules.TaskOwner, PostmortemReview.Rules.TaskDue], findings.Select(f => f.Rule));
        Assert.Equal(["T5"], findings[0].Items);
        Assert.Equal(["T4", "T5"], findings[1].Items);
    }

    [Theory]
    [InlineData("detected")]
    [InlineData("mitigated")]
    [InlineData("resolved")]
    public void A_missing_milestone_is_flagged(string name)
    {
        var t = Clean().Times;
        var times = name switch
        {
            "detected" => t with { Detected = null },
            "mitigated" => t with { Mitigated = null },
            _ => t with { Resolved = null },
        };
        var f = Only(Lint(Clean() with { Times = times }), PostmortemReview.Rules.MissingTime);
        Assert.Equal($"times.{name}", f.Where);
        Assert.Contains($"--{name} TIME", f.Fix);
    }

    [Fact]
    public void A_silence_longer_than_the_limit_while_active_is_flagged_and_the_limit_is_configurable()
    {
        var incident = Clean() with { Times = Clean().Times with { Resolved = Start.AddHours(9) }, Timeline = [.. Clean().Timeline.SkipLast(1), new TimelineEntry { At = Start.AddHours(9), Kind = TimelineKind.Resolution, Text = "Backlog drained" }] };
        var f = Only(Lint(incident), PostmortemReview.Rules.TimelineGap);
        Assert.Equal(["2025-03-04T10:50:00Z", "2025-03-04T19:00:00Z"], f.Items);
        Assert.Contains("8.2 h", f.Message);
        Assert.Empty(Lint(incident, options: new LintOptions { Now = Now, MaxGap = TimeSpan.FromHours(9) }));
        Assert.Equal(2, Lint(Clean(), options: new LintOptions { Now = Now, MaxGap = TimeSpan.FromMinutes(30) }).Count);
    }

    [Fact]
    public void Timeline_entries_before_the_start_or_in_the_future_are_flagged()
    {
        var incident = Clean() with
        {
            Timeline =
            [
                .. Clean().Timeline,
                new TimelineEntry { At = Start.AddHours(-1), Text = "Broker patched" },
                new TimelineEntry { At = Now.AddDays(1), Text = "Retro" },
            ],
        };
        var findings = Lint(incident).Where(f => f.Rule == PostmortemReview.Rules.TimelineTime).ToList();
        Assert.Equal(2, findings.Count);
        Assert.Contains("before the incident started", findings.Single(f => f.Items[0] == "2025-03-04T09:00:00Z").Message);
        Assert.Contains("in the future", findings.Single(f => f.Items[0] == "2025-03-07T10:00:00Z").Message);
    }

    [Theory]
    [InlineData("root-cause")]
    [InlineData("impact")]
    [InlineData("lessons")]
    public void An_empty_postmortem_section_is_flagged(string field)
    {
        var incident = field switch
        {
            "root-cause" => Clean() with { RootCause = " " },
            "impact" => Clean() with { BusinessImpact = null },
            _ => Clean() with { Lessons = [] },
        };
        Assert.Equal(field, Only(Lint(incident), PostmortemReview.Rules.EmptySection).Where);
    }

    [Fact]
    public void Text_that_still_looks_like_a_secret_is_flagged_where_it_is()
    {
        var incident = Clean() with { Timeline = [.. Clean().Timeline, new TimelineEntry { At = Start.AddMinutes(20), Text = "Paged CORP-123456 owner" }] };
        var evidence = Linked.Append(new Evidence { IncidentId = "queue-stall", Number = 2, Kind = EvidenceKind.LogExcerpt, Content = "auth with ghp_0123456789abcdefghijklmnopqrstuvwxyz12" }).ToList();
        var findings = Lint(incident, evidence, new LintOptions { Now = Now, Redactor = new Redactor(["CORP-[0-9]{6}"]) });
        Assert.All(findings, f => Assert.Equal(PostmortemReview.Rules.Secret, f.Rule));
        Assert.Equal(["timeline 2025-03-04T10:20:00Z", "E2"], findings.Select(f => f.Where));
        Assert.DoesNotContain(findings, f => f.Message.Contains("ghp_", StringComparison.Ordinal));
    }

    [Fact]
    public void Evidence_linked_to_a_hypothesis_that_is_gone_is_flagged()
    {
        var evidence = Linked.Append(new Evidence { IncidentId = "queue-stall", Number = 2, Kind = EvidenceKind.Note, Content = "x", Refutes = ["H9"] });
        var f = Only(Lint(Clean(), evidence), PostmortemReview.Rules.DanglingLink);
        Assert.Equal(["E2", "H9"], f.Items);
        Assert.Contains("E2 refutes H9", f.Message);
    }

    [Fact]
    public void Lint_exits_7_when_anything_is_flagged_and_0_when_clean()
    {
        using var cli = new CliHarness(Now);
        cli.Run("new", "Order consumers stall", "--id", "q", "--started", "2025-03-04T10:00Z").ShouldSucceed();
        var flagged = cli.Run("lint", "q", "--json");
        Assert.Equal(7, flagged.ExitCode);
        Assert.Contains(flagged.Json.EnumerateArray(), f => f.GetProperty("rule").GetString() == "missing-time");

        cli.Run("update", "q", "--detected", "2025-03-04T10:10Z", "--mitigated", "2025-03-04T10:50Z", "--resolved", "2025-03-04T12:00Z",
            "--status", "resolved", "--root-cause", "Stale connection", "--impact", "Late orders", "--lesson", "Drill consumers").ShouldSucceed();
        cli.Run("timeline", "add", "q", "--at", "2025-03-04T10:10Z", "Alarm").ShouldSucceed();
        Assert.Contains("nothing to flag", cli.Run("lint", "q", "--max-gap", "3h").ShouldSucceed().Out);
        Assert.Equal(7, cli.Run("lint", "q", "--max-gap", "30m").ExitCode);

        var bad = cli.Run("lint", "q", "--max-gap", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("incidents: error: invalid --max-gap 'soon'", bad.Error);
    }
}
