namespace Hokusai.Incidents.Sharing.Tests;

/// <summary>The scenarios of sharing through git, with the real git command line and two stores.</summary>
public sealed class GitSharingTests
{
    private static void FileIncident(TeamRepository team, char who, string id, string title, string severity = "sev2")
    {
        team.Incidents(who, "new", title, "--id", id, "--severity", severity, "--service", "hokusai-api",
            "--started", "2025-08-18T09:00Z").ShouldSucceed();
    }

    [Fact]
    public void An_incident_filed_and_pushed_by_A_is_found_by_B_after_pull_and_sync()
    {
        using var team = new TeamRepository();
        FileIncident(team, 'a', "registry-504", "Registry returns 504 after deploy");
        team.Incidents('a', "hypothesis", "add", "registry-504", "ALB health check targets the wrong port").ShouldSucceed();
        team.Publish('a', "file registry-504");

        Assert.True(team.Pull('b').ExitCode == 0);
        var sync = team.Sync('b');
        Assert.Contains("registry-504: read", sync.Out);

        var hits = team.Incidents('b', "search", "wrong port", "--json").ShouldSucceed().Json;
        Assert.Contains(hits.GetProperty("hits").EnumerateArray(), h => h.GetProperty("incidentId").GetString() == "registry-504");
        var readme = File.ReadAllText(Path.Combine(team.FolderOf('b'), "README.md"));
        Assert.Contains("[registry-504](registry-504/)", readme);
    }

    [Fact]
    public void Both_edit_one_incident_and_git_merges_the_records_with_additions_numbered_apart_and_links_intact()
    {
        using var team = new TeamRepository();
        FileIncident(team, 'a', "api-down", "API container cannot start");
        team.Incidents('a', "hypothesis", "add", "api-down", "Syntax error in the image").ShouldSucceed();
        team.Incidents('a', "task", "add", "api-down", "Fix and redeploy").ShouldSucceed();
        team.Incidents('a', "evidence", "add", "api-down", "--kind", "log", "--supports", "H1", "first log line").ShouldSucceed();
        team.Publish('a', "file api-down");
        Assert.Equal(0, team.Pull('b').ExitCode);
        team.Sync('b');

        // A: a hypothesis (H2), evidence for it (E2) and a task checked off.
        team.Incidents('a', "hypothesis", "add", "api-down", "Security group blocks port 5000").ShouldSucceed();
        team.Incidents('a', "evidence", "add", "api-down", "--kind", "log", "--supports", "H2", "connection refused on 5000").ShouldSucceed();
        team.Incidents('a', "task", "done", "api-down", "T1").ShouldSucceed();
        team.Publish('a', "A: H2 and T1 done");

        // B, at the same time: its own H2, evidence E2 for it and a timeline entry pointing at that evidence.
        team.Incidents('b', "hypothesis", "add", "api-down", "Task role lacks ECR pull permission").ShouldSucceed();
        team.Incidents('b', "evidence", "add", "api-down", "--kind", "log", "--supports", "H2", "CannotPullContainerError").ShouldSucceed();
        team.Incidents('b', "timeline", "add", "api-down", "--at", "2025-08-18T09:30Z", "--evidence", "E2", "Image pull fails").ShouldSucceed();
        team.Sync('b');
        team.Commit('b', "B: H2 and a timeline entry");

        var pull = team.Pull('b');
        Assert.True(pull.ExitCode == 0, pull.Out + pull.Error);
        var record = File.ReadAllText(Path.Combine(team.FolderOf('b'), "api-down", "incident.json"));
        Assert.DoesNotContain("<<<<<<<", record);
        Assert.DoesNotContain("<<<<<<<", File.ReadAllText(Path.Combine(team.FolderOf('b'), "api-down", "evidence", "0001.jsonl")));
        team.Sync('b');
        team.Commit('b', "B: merged");
        Assert.Equal(0, new GitCommand(team.CloneOf('b')).Run("push", "-q", "origin", "main").ExitCode);
        Assert.Equal(0, team.Pull('a').ExitCode);
        team.Sync('a');

        foreach (var who in new[] { 'a', 'b' })
        {
            var show = team.Incidents(who, "show", "api-down", "--json").ShouldSucceed().Json;
            var hypotheses = show.GetProperty("hypotheses").EnumerateArray()
                .ToDictionary(h => h.GetProperty("number").GetInt32(), h => h.GetProperty("title").GetString());
            Assert.Equal("Security group blocks port 5000", hypotheses[2]);
            Assert.Equal("Task role lacks ECR pull permission", hypotheses[3]);
            Assert.True(show.GetProperty("tasks")[0].GetProperty("done").GetBoolean(), $"{who}: T1 done");

            var evidence = team.Incidents(who, "evidence", "list", "api-down", "--json").ShouldSucceed().Json.EnumerateArray()
                .ToDictionary(e => e.GetProperty("number").GetInt64());
            Assert.Equal(3, evidence.Count);
            Assert.Equal("connection refused on 5000", evidence[2].GetProperty("content").GetString());
            Assert.Equal("H2", evidence[2].GetProperty("supports")[0].GetString());
            Assert.Equal("CannotPullContainerError", evidence[3].GetProperty("content").GetString());
            Assert.Equal("H3", evidence[3].GetProperty("supports")[0].GetString());

            var entry = show.GetProperty("timeline").EnumerateArray().Single(t => t.GetProperty("text").GetString() == "Image pull fails");
            Assert.Equal("E3", entry.GetProperty("evidence")[0].GetString());
        }
    }

    [Fact]
    public void Both_change_the_severity_one_conflict_is_reported_with_both_values_and_nothing_is_lost()
    {
        using var team = new TeamRepository();
        FileIncident(team, 'a', "db-latency", "Database latency spikes", "sev3");
        team.Publish('a', "file db-latency");
        Assert.Equal(0, team.Pull('b').ExitCode);
        team.Sync('b');

        team.Incidents('a', "update", "db-latency", "--severity", "sev1").ShouldSucceed();
        team.Publish('a', "A: sev1");
        team.Incidents('b', "update", "db-latency", "--severity", "sev2").ShouldSucceed();
        team.Sync('b');
        team.Commit('b', "B: sev2");

        var pull = team.Pull('b');
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("severity", pull.Error);
        var record = File.ReadAllText(Path.Combine(team.FolderOf('b'), "db-latency", "incident.json"));
        Assert.DoesNotContain("<<<<<<<", record);

        var sync = team.Incidents('b', "sync", "--dir", team.FolderOf('b'), "--json").ShouldSucceed().Json;
        var conflict = sync.GetProperty("incidents").EnumerateArray()
            .SelectMany(i => i.GetProperty("conflicts").EnumerateArray()).Single();
        Assert.Equal("severity", conflict.GetProperty("path").GetString());
        Assert.Equal("sev2", conflict.GetProperty("local").GetString());
        Assert.Equal("sev1", conflict.GetProperty("folder").GetString());

        var show = team.Incidents('b', "show", "db-latency", "--json").ShouldSucceed().Json;
        Assert.Equal("sev1", show.GetProperty("severity").GetString());
        Assert.Contains(show.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString()!.Contains("sev2", StringComparison.Ordinal));
        Assert.DoesNotContain("\"conflicts\":", File.ReadAllText(Path.Combine(team.FolderOf('b'), "db-latency", "incident.json")));
    }

    [Fact]
    public void A_deletes_an_incident_and_it_is_gone_from_Bs_store_after_pull_and_sync()
    {
        using var team = new TeamRepository();
        FileIncident(team, 'a', "short-lived", "False alarm on the dashboard");
        FileIncident(team, 'a', "kept", "A real outage");
        team.Publish('a', "file two");
        Assert.Equal(0, team.Pull('b').ExitCode);
        team.Sync('b');
        Assert.Equal(0, team.Incidents('b', "show", "short-lived").ExitCode);

        team.Incidents('a', "delete", "short-lived", "--yes").ShouldSucceed();
        Assert.Contains("short-lived: deleted-from-folder", team.Sync('a').Out);
        Assert.False(Directory.Exists(Path.Combine(team.FolderOf('a'), "short-lived")));
        team.Commit('a', "delete short-lived");
        TeamRepository.Git(team.CloneOf('a'), "push", "-q", "origin", "main");

        Assert.Equal(0, team.Pull('b').ExitCode);
        Assert.Contains("short-lived: deleted", team.Sync('b').Out);
        Assert.Equal(3, team.Incidents('b', "show", "short-lived").ExitCode);
        Assert.Equal(0, team.Incidents('b', "show", "kept").ExitCode);
        Assert.DoesNotContain("short-lived", File.ReadAllText(Path.Combine(team.FolderOf('b'), "README.md")));
    }

    [Fact]
    public void An_id_taken_by_an_unrelated_incident_in_the_other_clone_keeps_both_one_renamed()
    {
        using var team = new TeamRepository();
        FileIncident(team, 'a', "outage", "Payments API outage");
        team.Publish('a', "A: outage");
        team.Harness('b').Clock.Advance(TimeSpan.FromMinutes(5));
        FileIncident(team, 'b', "outage", "Search cluster outage");
        team.Incidents('b', "evidence", "add", "outage", "--kind", "log", "yellow cluster health").ShouldSucceed();

        Assert.Equal(0, team.Pull('b').ExitCode);
        var sync = team.Sync('b').Out;
        Assert.Contains("outage-2: renamed", sync);

        Assert.Equal("Payments API outage", team.Incidents('b', "show", "outage", "--json").ShouldSucceed().Json.GetProperty("title").GetString());
        Assert.Equal("Search cluster outage", team.Incidents('b', "show", "outage-2", "--json").ShouldSucceed().Json.GetProperty("title").GetString());
        var moved = team.Incidents('b', "evidence", "list", "outage-2", "--json").ShouldSucceed().Json;
        Assert.Equal("yellow cluster health", moved[0].GetProperty("content").GetString());
        Assert.True(File.Exists(Path.Combine(team.FolderOf('b'), "outage-2", "incident.json")));
        Assert.Contains("Payments API outage", File.ReadAllText(Path.Combine(team.FolderOf('b'), "outage", "incident.json")));
    }
}
