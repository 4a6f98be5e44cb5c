using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Sharing.Tests;

/// <summary>
/// An unchanged folder is told from file stamps alone, without opening the store or any record; these
/// check that a change on either side is still seen, also one that keeps a file's size and time.
/// </summary>
public sealed class UnchangedSyncTests
{
    private static (CliHarness Cli, string Folder) Synced()
    {
        var cli = new CliHarness();
        var folder = cli.PathOf("kb");
        cli.Run("new", "Registry returns 504", "--id", "registry-504", "--started", "2025-08-18T09:00Z").ShouldSucceed();
        cli.Run("hypothesis", "add", "registry-504", "ALB health check targets the wrong port").ShouldSucceed();
        cli.Run("evidence", "add", "registry-504", "--kind", "log", "GET /health 504").ShouldSucceed();
        cli.Run("sync", "--dir", folder).ShouldSucceed();
        return (cli, folder);
    }

    /// <summary>As if the last sync were an hour ago: its files' times are then too old to be racy.</summary>
    private static void AgeEverything(CliHarness cli, string folder)
    {
        var past = DateTime.UtcNow.AddHours(-1);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Append(cli.DatabasePath))
        {
            File.SetLastWriteTimeUtc(file, past);
        }
        // Records the aged stamps (content is compared, nothing changes).
        Assert.Contains("0 incident(s) synced, 1 unchanged", cli.Run("sync", "--dir", folder).ShouldSucceed().Out);
    }

    [Fact]
    public void An_unchanged_folder_is_reported_unchanged_and_a_later_local_change_is_still_written()
    {
        var (cli, folder) = Synced();
        using var _ = cli;
        AgeEverything(cli, folder);
        var record = Path.Combine(folder, "registry-504", "incident.json");
        var before = File.ReadAllText(record);
        var json = cli.Run("sync", "--dir", folder, "--json").ShouldSucceed().Json;
        Assert.Equal(1, json.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, json.GetProperty("incidents").GetArrayLength());

        cli.Run("update", "registry-504", "--severity", "sev1").ShouldSucceed();
        Assert.Contains("registry-504: written", cli.Run("sync", "--dir", folder).ShouldSucceed().Out);
        Assert.NotEqual(before, File.ReadAllText(record));
        Assert.Contains("\"sev1\"", File.ReadAllText(record));
    }

    [Fact]
    public void A_folder_edit_that_keeps_size_and_time_right_after_a_sync_is_still_read()
    {
        var (cli, folder) = Synced();
        using var _ = cli;
        var record = Path.Combine(folder, "registry-504", "incident.json");
        var time = File.GetLastWriteTimeUtc(record);
        // Same length, same time stamp: only the content tells (git's "racily clean" case).
        File.WriteAllText(record, File.ReadAllText(record).Replace("Registry returns 504", "Registry returns 502", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(record, time);

        Assert.Contains("registry-504: read", cli.Run("sync", "--dir", folder).ShouldSucceed().Out);
        Assert.Equal("Registry returns 502", cli.Run("show", "registry-504", "--json").ShouldSucceed().Json.GetProperty("title").GetString());
    }

    [Fact]
    public void An_edited_evidence_file_after_an_unchanged_sync_is_read()
    {
        var (cli, folder) = Synced();
        using var _ = cli;
        AgeEverything(cli, folder);
        var file = Path.Combine(folder, "registry-504", "evidence", "0001.jsonl");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"supports\":[]", "\"supports\":[\"H1\"]", StringComparison.Ordinal));

        Assert.Contains("registry-504: read", cli.Run("sync", "--dir", folder).ShouldSucceed().Out);
        var evidence = cli.Run("evidence", "list", "registry-504", "--json").ShouldSucceed().Json;
        Assert.Equal("H1", evidence[0].GetProperty("supports")[0].GetString());
    }

    [Fact]
    public void Linking_evidence_alone_reaches_the_folder_on_the_next_sync()
    {
        var (cli, folder) = Synced();
        using var _ = cli;
        var file = Path.Combine(folder, "registry-504", "evidence", "0001.jsonl");
        Assert.DoesNotContain("H1", File.ReadAllText(file));

        cli.Run("evidence", "link", "registry-504", "E1", "--supports", "H1").ShouldSucceed();
        Assert.Contains("registry-504: written", cli.Run("sync", "--dir", folder).ShouldSucceed().Out);

        Assert.Contains("\"supports\":[\"H1\"]", File.ReadAllText(file));
        Assert.Contains("0 incident(s) synced, 1 unchanged", cli.Run("sync", "--dir", folder).ShouldSucceed().Out);

        // A link and a new item in the same file between two syncs: each item once, the link kept.
        cli.Run("evidence", "add", "registry-504", "--kind", "log", "GET /health 504 again").ShouldSucceed();
        cli.Run("evidence", "link", "registry-504", "E1", "--refutes", "H1").ShouldSucceed();
        cli.Run("sync", "--dir", folder).ShouldSucceed();
        var lines = File.ReadAllLines(file);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"refutes\":[\"H1\"]", lines[0]);
        Assert.Contains("again", lines[1]);
    }

    [Fact]
    public void A_task_without_a_priority_travels_through_the_folder_without_one()
    {
        var (cli, folder) = Synced();
        using var _ = cli;
        using (var store = LiteDbIncidentStore.Open(cli.DatabasePath))
        {
            store.Update("registry-504", i => i with { Tasks = [new FixTask { Number = 1, Title = "Point the health check at 5000" }] });
        }
        cli.Run("sync", "--dir", folder).ShouldSucceed();

        using var other = new CliHarness();
        other.Run("sync", "--dir", folder).ShouldSucceed();
        var task = other.Run("show", "registry-504", "--json").ShouldSucceed().Json.GetProperty("tasks")[0];
        Assert.Equal("Point the health check at 5000", task.GetProperty("title").GetString());
        Assert.True(!task.TryGetProperty("priority", out var priority) || priority.ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public void The_store_names_evidence_changed_in_place_since_a_change_sequence()
    {
        using var cli = new CliHarness();
        cli.Run("new", "Registry returns 504", "--id", "r").ShouldSucceed();
        cli.Run("hypothesis", "add", "r", "Wrong port").ShouldSucceed();
        cli.Run("evidence", "add", "r", "--kind", "log", "one").ShouldSucceed();
        cli.Run("evidence", "add", "r", "--kind", "log", "two").ShouldSucceed();
        using var store = LiteDbIncidentStore.Open(cli.DatabasePath);
        var before = store.ChangeSequence;
        Assert.Empty(store.EvidenceUpdatedSince("r", before));
        store.UpdateEvidence("r", 2, e => e with { Supports = ["H1"] });
        Assert.Equal([2L], store.EvidenceUpdatedSince("r", before));
        Assert.Empty(store.EvidenceUpdatedSince("r", store.ChangeSequence));
        store.Delete("r");
        Assert.Empty(store.EvidenceUpdatedSince("r", 0));
    }
}
