using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Analysis.Tests;

public sealed class ExampleIncidentTests
{
    private const string Example = "2025-08-18-model-registration-failure";

    [Fact]
    public void The_example_keeps_the_times_its_evidence_carries_and_gets_no_suggestion_its_timeline_has()
    {
        using var cli = new CliHarness();
        cli.Run("import", Repository.ExampleIncident).ShouldSucceed();

        var evidence = cli.Run("evidence", "list", Example, "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        var carrying = evidence.Where(e => LogLineTime.FirstIn(e.GetProperty("content").GetString()!) is not null).ToList();
        Assert.NotEmpty(carrying);
        Assert.All(carrying, e => Assert.Equal(
            LogLineTime.FirstIn(e.GetProperty("content").GetString()!),
            DateTimeOffset.Parse(e.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));

        var suggestions = cli.Run("timeline", "suggest", Example, "--json").ShouldSucceed().Json;
        Assert.Equal(0, suggestions.GetArrayLength());
        Assert.Contains("nothing the timeline lacks", cli.Run("timeline", "suggest", Example).ShouldSucceed().Out);
    }

    [Fact]
    public void A_log_excerpt_imported_from_Markdown_keeps_the_time_its_first_line_gives()
    {
        using var cli = new CliHarness();
        var notes = cli.PathOf("api-crash.md");
        File.WriteAllText(notes, """
            # API crash after deploy

            ## Logs

            ```
            2025-08-20T13:44:17.848000+00:00 INFO: Started server process [1]
            ```

            ```
            [2025-08-20 13:02:05] ERROR worker exited
            ```

            ```
            Traceback (most recent call last):
            ```
            """);
        var imported = cli.Run("import", notes, "--json").ShouldSucceed().Json;
        var id = imported.EnumerateArray().First().GetProperty("incidentId").GetString()!;

        var times = cli.Run("evidence", "list", id, "--json").ShouldSucceed().Json.EnumerateArray()
            .Select(e => e.TryGetProperty("time", out var t) ? t.GetString() : null).ToList();
        Assert.Equal(["2025-08-20T13:44:17.848Z", "2025-08-20T13:02:05Z", null], times);
    }

    [Theory]
    [InlineData("2025-08-20T13:44:17.848000+00:00 INFO", "2025-08-20T13:44:17.8480000+00:00")]
    [InlineData("noise\n2025-08-20 13:44:17,5 WARN", "2025-08-20T13:44:17.5000000+00:00")]
    [InlineData("2025-08-20T15:44:17+02:00 x", "2025-08-20T13:44:17.0000000+00:00")]
    [InlineData("2025-08-20T13:44:17.123456789Z x", "2025-08-20T13:44:17.1234567+00:00")]
    public void A_leading_timestamp_is_read_as_UTC(string text, string expected) =>
        Assert.Equal(expected, LogLineTime.FirstIn(text)!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("INFO at 2025-08-20T13:44:17Z")]
    [InlineData("2025-08-20 no time")]
    [InlineData("line 26")]
    public void Text_without_a_leading_timestamp_has_no_time(string text) => Assert.Null(LogLineTime.FirstIn(text));
}
