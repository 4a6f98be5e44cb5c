using System.Text.Json;

namespace Hokusai.Incidents.Reports.Tests;

public sealed class BacklogAndReportTests
{
    private static List<string> Keys(JsonElement items) =>
        [.. items.EnumerateArray().Select(i => $"{i.GetProperty("incidentId").GetString()} T{i.GetProperty("task").GetProperty("number").GetInt32()}")];

    [Fact]
    public void Tasks_across_incidents_come_oldest_due_first_and_filter_by_open_owner_overdue_and_service()
    {
        using var h = KnowledgeBase.Write();

        Assert.Equal(["dns-blip T1", "registry-504 T2", "registry-504 T1", "mlflow-oom T1", "registry-504 T3", "mlflow-oom T2"],
            Keys(h.Run("tasks", "--json").ShouldSucceed().Json));
        Assert.Equal(["registry-504 T1", "mlflow-oom T1", "registry-504 T3", "mlflow-oom T2"], Keys(h.Run("tasks", "--open", "--json").ShouldSucceed().Json));
        var overdue = h.Run("tasks", "--overdue", "--json").ShouldSucceed().Json;
        Assert.Equal(["registry-504 T1", "mlflow-oom T1"], Keys(overdue));
        Assert.All(overdue.EnumerateArray(), i => Assert.True(i.GetProperty("overdue").GetBoolean()));
        Assert.Equal(["registry-504 T1", "mlflow-oom T1"], Keys(h.Run("tasks", "--owner", "dana", "--json").ShouldSucceed().Json));
        Assert.Equal(["mlflow-oom T1", "mlflow-oom T2"], Keys(h.Run("tasks", "--service", "mlflow", "--json").ShouldSucceed().Json));

        var table = h.Run("tasks", "--open").ShouldSucceed().Out;
        Assert.Contains("2025-08-20 overdue", table);
        Assert.EndsWith("4 task(s) from 2 incident(s); 4 open, 2 overdue.\n", table);
    }

    [Fact]
    public void Report_gives_counts_means_and_medians_and_names_incidents_without_the_times()
    {
        using var h = KnowledgeBase.Write();

        var all = h.Run("report", "--json").ShouldSucceed().Json;
        Assert.Equal(4, all.GetProperty("incidents").GetInt32());
        Assert.Equal(1, all.GetProperty("bySeverity").GetProperty("sev1").GetInt32());
        Assert.Equal(2, all.GetProperty("bySeverity").GetProperty("sev2").GetInt32());
        var overall = all.GetProperty("overall");
        // Detect: 20, 5, 30 and 65 (timeline) minutes → mean 30, median (20 + 30) / 2 = 25.
        AssertStats(overall.GetProperty("timeToDetect"), 4, 30, 25);
        // Mitigate: 60 and 35 → 47.5 both; dns-blip and cert-expiry have no mitigation time.
        AssertStats(overall.GetProperty("timeToMitigate"), 2, 47.5, 47.5);
        Assert.Equal(["cert-expiry: no mitigated time", "dns-blip: no mitigated time"], Missing(overall.GetProperty("timeToMitigate")));
        // Resolve: 150, 120, 60 → mean 110, median 120; cert-expiry is still open.
        AssertStats(overall.GetProperty("timeToResolve"), 3, 110, 120);
        Assert.Equal(["cert-expiry: no resolved time"], Missing(overall.GetProperty("timeToResolve")));

        var byService = h.Run("report", "--by", "service", "--json").ShouldSucceed().Json.GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(["api", "mlflow", "web"], byService.Keys);
        Assert.Equal(3, byService["api"].GetProperty("incidents").GetInt32());
        AssertStats(byService["api"].GetProperty("timeToResolve"), 3, 110, 120);
        AssertStats(byService["mlflow"].GetProperty("timeToResolve"), 1, 120, 120);
        Assert.Equal(0, byService["web"].GetProperty("timeToResolve").GetProperty("measured").GetInt32());

        var bySeverity = h.Run("report", "--by", "severity", "--json").ShouldSucceed().Json.GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("key").GetString()!);
        // sev2: mlflow-oom 120 and dns-blip 60 → 90 both.
        AssertStats(bySeverity["sev2"].GetProperty("timeToResolve"), 2, 90, 90);

        var byMonth = h.Run("report", "--by", "month", "--json").ShouldSucceed().Json.GetProperty("groups").EnumerateArray()
            .Select(g => (g.GetProperty("key").GetString(), g.GetProperty("incidents").GetInt32())).ToList();
        Assert.Equal([("2025-06", 1), ("2025-07", 1), ("2025-08", 2)], byMonth);

        // 90 days before 2025-09-01 is 2025-06-03: the certificate incident drops out.
        var recent = h.Run("report", "--since", "90d", "--json").ShouldSucceed().Json;
        Assert.Equal(3, recent.GetProperty("incidents").GetInt32());
        AssertStats(recent.GetProperty("overall").GetProperty("timeToDetect"), 3, 55.0 / 3, 20);

        var text = h.Run("report").ShouldSucceed().Out;
        Assert.Contains("1h 50m / 2h 00m (n=3)", text);
        Assert.Contains("Not in time to resolve: cert-expiry (no resolved time)", text);

        var bad = h.Run("report", "--by", "team");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("incidents: error: invalid --by 'team': expected service, severity or month\n", bad.Error);
    }

    [Fact]
    public void Report_out_writes_markdown_with_mermaid_charts_and_the_incidents_missing_times()
    {
        using var h = KnowledgeBase.Write();
        var dir = h.PathOf("report");

        var run = h.Run("report", "--by", "service", "--out", dir).ShouldSucceed();

        var path = Path.Combine(dir, ReportMarkdown.FileName);
        Assert.Equal($"Wrote {path}\n", run.Out);
        var md = File.ReadAllText(path);
        Assert.StartsWith("# Incident report\n\n4 incident(s), generated 2025-09-01T12:00:00Z.", md);
        Assert.Contains("| all | 4 | 30m / 25m (n=4) | 48m / 48m (n=2, 2 missing) | 1h 50m / 2h 00m (n=3, 1 missing) |", md);
        Assert.Contains("```mermaid\npie title Incidents by severity\n    \"sev1\" : 1\n    \"sev2\" : 2\n    \"sev3\" : 1\n```", md);
        Assert.Contains("```mermaid\nxychart-beta\n    title \"Incidents by service\"\n    x-axis [\"api\", \"mlflow\", \"web\"]\n    y-axis \"incidents\" 0 --> 4\n    bar [3, 1, 1]\n```", md);
        Assert.Contains("    bar [110, 120, 0]\n", md);
        Assert.Contains("| web | 1 | 1h 05m / 1h 05m (n=1) | - (no incident has both times) |", md);
        Assert.Contains("- time to resolve: `cert-expiry` (no resolved time)", md);
    }

    private static void AssertStats(JsonElement stats, int measured, double meanMinutes, double medianMinutes)
    {
        Assert.Equal(measured, stats.GetProperty("measured").GetInt32());
        Assert.Equal(Math.Round(meanMinutes, 1), stats.GetProperty("meanMinutes").GetDouble());
        Assert.Equal(medianMinutes, stats.GetProperty("medianMinutes").GetDouble());
    }

    private static List<string> Missing(JsonElement stats) =>
        [.. stats.GetProperty("missing").EnumerateArray().Select(m => $"{m.GetProperty("incidentId").GetString()}: {m.GetProperty("reason").GetString()}")];
}
