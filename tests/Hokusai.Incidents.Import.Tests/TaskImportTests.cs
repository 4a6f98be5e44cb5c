namespace Hokusai.Incidents.Import.Tests;

public sealed class TaskImportTests
{
    private readonly Incident _plan = Fixture.Read("checkout-fix-plan.md").Incident;

    private FixTask Task(string title) => _plan.Tasks.Single(t => t.Title.Contains(title, StringComparison.Ordinal));

    [Fact]
    public void Every_check_box_under_any_bullet_becomes_a_task_with_its_done_state()
    {
        Assert.Equal(12, _plan.Tasks.Count);
        Assert.True(Task("Raise the pool ceiling").Done);
        Assert.False(Task("Recycle the stuck").Done);
        // '+' bullets three levels down and numbered check boxes count too.
        Assert.True(Task("MaxConnectionsPercent").Done);
        Assert.False(Task("Serve the cached basket").Done);
        Assert.True(Task("checkout.payment_timeout_ms=8000").Done);
    }

    [Fact]
    public void Action_items_without_a_stated_priority_get_none_and_render_without_one()
    {
        var text = "# Cache outage\n\n## Action items\n\n- Add a guard to the flush job, owner: dana\n- P1: page on cache misses\n\n## Fixes\n\n- [ ] Rotate the cache nodes\n";
        var doc = MarkdownInvestigationReader.Read(System.Text.Encoding.UTF8.GetBytes(text), "cache.md");
        var tasks = doc.Incident.Tasks;

        Assert.Null(tasks.Single(t => t.Title.Contains("guard", StringComparison.Ordinal)).Priority);
        Assert.Equal(Priority.P1, tasks.Single(t => t.Title.Contains("page on", StringComparison.Ordinal)).Priority);
        Assert.Null(tasks.Single(t => t.Title.Contains("Rotate", StringComparison.Ordinal)).Priority);
        // Stored and written out without a priority, not with an invented P2.
        var json = Serialization.IncidentJson.Serialize(doc.Incident);
        Assert.DoesNotContain("\"p2\"", json, StringComparison.Ordinal);
        Assert.Null(Serialization.IncidentJson.Deserialize<Incident>(json).Tasks.Single(t => t.Title.Contains("guard", StringComparison.Ordinal)).Priority);
    }

    [Fact]
    public void Nesting_is_kept_as_parent_links_at_any_depth()
    {
        var top = Task("Raise the pool ceiling");
        var confirm = Task("Confirm the RDS proxy");
        Assert.Null(top.Parent);
        Assert.Equal(top.Number, confirm.Parent);
        Assert.Equal(confirm.Number, Task("DatabaseConnections").Parent);
        Assert.Equal(Task("Shorten the client timeout").Number, Task("payment_timeout_ms").Parent);
        Assert.Equal(6, _plan.Tasks.Count(t => t.Parent is null));
    }

    [Fact]
    public void Priority_group_and_section_come_from_the_headings_above()
    {
        var t = Task("Drain one task");
        Assert.Equal(Priority.P1, t.Priority);
        Assert.Equal("Stop the Bleeding", t.Group);
        Assert.Equal("A. Relieve the connection pool", t.Section);
        var alarm = Task("Alarm when pool wait");
        Assert.Equal(Priority.P3, alarm.Priority);
        Assert.Equal("Make It Visible", alarm.Group);
        Assert.Equal("C. Alerting", alarm.Section);
    }

    [Fact]
    public void Rollback_success_criteria_and_sequence_go_to_the_incident_not_the_task_list()
    {
        Assert.Equal(["Set `DB_POOL_MAX` back to 20", "Re-enable the old timeout flag"], _plan.RollbackPlan.Select(c => c.Text));
        Assert.Equal([true, false], _plan.SuccessCriteria.Select(c => c.Done));
        Assert.Equal(2, _plan.TaskSequence.Count);
        Assert.StartsWith("A before B", _plan.TaskSequence[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_bullet_inside_a_plan_is_kept_as_a_note_under_its_heading()
    {
        var note = Assert.Single(_plan.Notes, n => n.Text.Contains("plain remark", StringComparison.Ordinal));
        Assert.Equal("P3 — Medium: Make It Visible > C. Alerting", note.HeadingPath);
    }

    [Fact]
    public void Priority_headings_are_read_in_the_styles_people_write_them()
    {
        Assert.Equal(Priority.P1, Tasks.TaskListRecogniser.PriorityOf("Priority 1: CRITICAL - Immediate Fix"));
        Assert.Equal(Priority.P2, Tasks.TaskListRecogniser.PriorityOf("Priority 2: HIGH - Prevention & Monitoring"));
        Assert.Equal(Priority.P1, Tasks.TaskListRecogniser.PriorityOf("Immediate (P0)"));
        Assert.Equal(Priority.P4, Tasks.TaskListRecogniser.PriorityOf("Low: documentation"));
        Assert.Null(Tasks.TaskListRecogniser.PriorityOf("Testing Infrastructure"));
    }

    [Fact]
    public void Task_keys_and_trailing_owner_due_after_and_done_notes_are_read_back()
    {
        const string Text = """
            # Fix Tasks: Edge

            ## Priority 2: HIGH - Hardening

            - [x] T7: Rotate the TLS certificate (owner: edge on-call) (done 2026-01-05T10:00:00Z)
              - [ ] T8: Pin the new chain in the CDN (due 2026-01-09) (after T9, blocked)
            - [ ] T9: Publish the chain to the trust store (after T7)
            """;
        var tasks = MarkdownInvestigationReader.Read(Text, "edge-plan.md").Incident.Tasks;
        Assert.Equal(["Rotate the TLS certificate", "Pin the new chain in the CDN", "Publish the chain to the trust store"], tasks.Select(t => t.Title));
        Assert.Equal("edge on-call", tasks[0].Owner);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), tasks[0].DoneAt);
        Assert.Equal(new DateOnly(2026, 1, 9), tasks[1].Due);
        // Keys are the document's: T9 is the third task here, and may be referred to before it appears.
        Assert.Equal([3], tasks[1].DependsOn);
        Assert.Equal([1], tasks[2].DependsOn);
        Assert.Equal(Priority.P2, tasks[2].Priority);
    }
}
