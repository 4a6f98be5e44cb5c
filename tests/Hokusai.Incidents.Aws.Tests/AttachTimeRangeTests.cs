using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Aws.Tests;

public sealed class AttachTimeRangeTests
{
    [Theory]
    [InlineData("99999999999999999")]
    [InlineData("-99999999999999999")]
    public void A_time_stamp_no_date_can_hold_is_bad_input_not_a_crash(string timestamp)
    {
        using var h = new CliHarness();
        h.Run("new", "Registry 504", "--id", "registry-504").ShouldSucceed();
        var file = h.PathOf("events.json");
        File.WriteAllText(file, $$"""{"events": [{"logStreamName": "s", "timestamp": {{timestamp}}, "message": "boom", "eventId": "1"}]}""");

        var run = h.Run("attach", "registry-504", file, "--group", "/ecs/api");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not a date between the years 1 and 9999", run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal(0, h.Run("evidence", "list", "registry-504", "--json").ShouldSucceed().Json.GetArrayLength());
    }
}
