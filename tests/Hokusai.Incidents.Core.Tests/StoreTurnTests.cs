using System.Diagnostics;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>
/// The store is LiteDB in direct mode behind a lock file: two stores on one file (two processes,
/// or two in one process as here) must take turns, lose nothing, and not keep each other out.
/// </summary>
public sealed class StoreTurnTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-turns-" + Guid.NewGuid().ToString("N"));

    public StoreTurnTests() => Directory.CreateDirectory(_dir);

    private string DbPath => Path.Combine(_dir, "incidents.db");

    private static Evidence Note(string incidentId, string text) =>
        new() { IncidentId = incidentId, Kind = EvidenceKind.Note, Content = text };

    [Fact]
    public async Task Two_stores_writing_one_file_at_once_keep_every_write_numbered_once()
    {
        using (var setup = LiteDbIncidentStore.Open(DbPath))
        {
            setup.Create(new Incident { Id = "turns", Title = "turns" });
        }
        async Task Write(string name)
        {
            await Task.Yield();
            using var store = LiteDbIncidentStore.Open(DbPath);
            for (var i = 0; i < 30; i++)
            {
                store.AddEvidence([Note("turns", $"{name} {i}")]);
                store.Update("turns", x => x with { Tags = [.. x.Tags, $"{name}{i}"] });
            }
        }
        await Task.WhenAll(Task.Run(() => Write("a")), Task.Run(() => Write("b")));

        using var check = LiteDbIncidentStore.Open(DbPath);
        var evidence = check.ListEvidence("turns").ToList();
        Assert.Equal(60, evidence.Count);
        Assert.Equal(Enumerable.Range(1, 60).Select(n => (long)n), evidence.Select(e => e.Number).Order());
        Assert.Equal(60, check.Get("turns").Tags.Count);
    }

    [Fact]
    public async Task A_longRun_of_writes_lets_another_writer_in_between_its_transactions()
    {
        using var busy = LiteDbIncidentStore.Open(DbPath);
        busy.Create(new Incident { Id = "busy", Title = "busy" });
        using var done = new CancellationTokenSource();
        var writes = 0;
        var longRun = Task.Run(() =>
        {
            // Writes back to back, as an attach of a large file does, until the other writer got in (or 20 s).
            var clock = Stopwatch.StartNew();
            while (!done.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                busy.AddEvidence([Note("busy", $"event {writes++}")]);
            }
        });
        await Task.Delay(200);

        var waited = Stopwatch.StartNew();
        using (var other = LiteDbIncidentStore.Open(DbPath))
        {
            other.Create(new Incident { Id = "other", Title = "meanwhile" });
        }
        waited.Stop();
        await done.CancelAsync();
        await longRun;

        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"the second writer waited {waited.Elapsed.TotalSeconds:N1} s");
        using var check = LiteDbIncidentStore.Open(DbPath);
        Assert.NotNull(check.Find("other"));
        Assert.Equal(writes, check.CountEvidence("busy"));
    }

    [Fact]
    public void An_idle_open_store_does_not_keep_another_out()
    {
        using var idle = LiteDbIncidentStore.Open(DbPath);
        idle.Create(new Incident { Id = "idle", Title = "opened and left open" });

        var waited = Stopwatch.StartNew();
        using (var other = LiteDbIncidentStore.Open(DbPath))
        {
            other.Update("idle", x => x with { Summary = "written by another store" });
        }
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"waited {waited.Elapsed.TotalSeconds:N1} s");
        // The first store reads the other's write: it reopens the file rather than trusting a stale cache.
        Assert.Equal("written by another store", idle.Get("idle").Summary);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
