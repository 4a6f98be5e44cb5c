using System.Text.Json;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Analysis.Tests;

public sealed class SeenBeforeTests
{
    private static readonly Incident DbPool = PastOutages.All[0];

    private static CliHarness KnowledgeBaseWithNewIncident()
    {
        var cli = new CliHarness();
        PastOutages.WriteTo(cli.DatabasePath);
        cli.Run("new", "Cart service errors: connection pool exhausted on orders-postgres", "--id", "cart-pool", "--service", "cart-api").ShouldSucceed();
        cli.Run("update", "cart-pool", "--error-message", "HikariPool-1 - Connection is not available, request timed out after 30000ms",
            "--summary", "cart-api requests time out waiting for a PostgreSQL connection").ShouldSucceed();
        return cli;
    }

    [Fact]
    public void Similar_shows_the_resembling_outage_first_with_its_root_cause_ruled_out_hypotheses_and_checklist()
    {
        using var cli = KnowledgeBaseWithNewIncident();

        var similar = cli.Run("similar", "cart-pool", "--json").ShouldSucceed().Json;

        var first = similar[0];
        Assert.Equal(DbPool.Id, first.GetProperty("id").GetString());
        var seen = first.GetProperty("seenBefore");
        Assert.Equal(DbPool.RootCause, seen.GetProperty("rootCause").GetString());
        Assert.Equal(["H1 Pool size too small for sale traffic: Raising the pool from 20 to 40 made it worse", "H3 Slow queries hold connections: p99 query time unchanged at 12 ms"],
            seen.GetProperty("refuted").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal([0, 1, 1, 0, 1], seen.GetProperty("checklist").EnumerateArray().Select(c => c.GetProperty("depth").GetInt32()));

        var text = cli.Run("similar", "cart-pool").ShouldSucceed().Out;
        Assert.Contains($"  Root cause: {DbPool.RootCause}", text);
        Assert.Contains("  Ruled out: H3 Slow queries hold connections", text);
        Assert.Contains("      T2 P1 Remove the direct DriverManager call", text);
        Assert.Contains($"incidents task copy cart-pool --from {DbPool.Id}", text);

        var doc = cli.Run("render", "cart-pool", "--doc", "investigation").ShouldSucceed().Out;
        // Markdown-escaped in the document: max\_connections.
        Assert.Contains("  - Root cause there: checkout-api opened a connection per request outside the pool", doc);
        Assert.Contains("  - Ruled out there: H1 Pool size too small for sale traffic", doc);
        Assert.Contains("      - T3 P1 Add a test that counts open connections", doc);
    }

    [Fact]
    public void Task_copy_brings_the_checklist_over_intact_with_done_state_cleared_and_its_source_recorded()
    {
        using var cli = KnowledgeBaseWithNewIncident();
        cli.Run("task", "add", "cart-pool", "Page the database owner").ShouldSucceed();

        cli.Run("task", "copy", "cart-pool", "--from", DbPool.Id).ShouldSucceed();

        var tasks = cli.Run("task", "list", "cart-pool", "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        var copies = tasks.Where(t => t.TryGetProperty("copiedFrom", out _)).ToList();
        Assert.Equal(DbPool.Tasks.Select(t => t.Title), copies.Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(DbPool.Tasks.Select(t => $"{DbPool.Id} {t.Key}"), copies.Select(t => t.GetProperty("copiedFrom").GetString()));
        Assert.Equal(DbPool.Tasks.Select(t => Vocabulary.Label(t.Priority)), copies.Select(t => t.GetProperty("priority").GetString()!.ToUpperInvariant()));
        Assert.All(copies, t => Assert.False(t.TryGetProperty("done", out var d) && d.GetBoolean()));
        // T2–T6 here: T2 and T3 under T2, T5 after T2, T6 under T5.
        Assert.Equal([null, 2, 2, null, 5], copies.Select(t => t.TryGetProperty("parent", out var p) ? p.GetInt32() : (int?)null));
        Assert.Equal([2], copies[3].GetProperty("dependsOn").EnumerateArray().Select(d => d.GetInt32()));

        cli.Run("task", "copy", "cart-pool", "--from", DbPool.Id, "T4").ShouldSucceed();
        var again = cli.Run("task", "list", "cart-pool", "--json").ShouldSucceed().Json.EnumerateArray().Skip(6).ToList();
        Assert.Equal(["Alert on pg connection count above 80%", "Dashboard panel for pool wait time"], again.Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(JsonValueKind.Undefined, again[0].TryGetProperty("parent", out var none) ? none.ValueKind : JsonValueKind.Undefined);
        Assert.Empty(again[0].GetProperty("dependsOn").EnumerateArray());

        Assert.Equal(3, cli.Run("task", "copy", "cart-pool", "--from", DbPool.Id, "T9").ExitCode);
        Assert.Equal(3, cli.Run("task", "copy", "cart-pool", "--from", "no-such-incident").ExitCode);
    }

    [Fact]
    public void Hypothesis_copy_brings_a_ruled_out_hypothesis_back_open_with_its_test_and_where_it_came_from()
    {
        using var cli = KnowledgeBaseWithNewIncident();

        cli.Run("hypothesis", "copy", "cart-pool", "--from", DbPool.Id, "H2", "H1").ShouldSucceed();

        var list = cli.Run("hypothesis", "list", "cart-pool", "--json").ShouldSucceed().Json.EnumerateArray().OrderBy(h => h.GetProperty("number").GetInt32()).ToList();
        Assert.Equal(["Connections leak on the retry path", "Pool size too small for sale traffic"], list.Select(h => h.GetProperty("title").GetString()));
        Assert.All(list, h => Assert.Equal("open", h.GetProperty("status").GetString()));
        Assert.Equal($"{DbPool.Id} H2 (confirmed: Retry wrapper bypassed the pool)", list[0].GetProperty("copiedFrom").GetString());
        Assert.Equal("pg_stat_activity shows idle connections from checkout-api", list[0].GetProperty("testMethod").GetProperty("expectedIfTrue").GetString());
        Assert.Equal(60, list[0].GetProperty("confidence").GetInt32());
        Assert.False(list[0].TryGetProperty("outcome", out _));
        Assert.Empty(list[0].GetProperty("history").EnumerateArray());
    }
}
