namespace Hokusai.Incidents.Core.Tests;

public class TimeInputTests
{
    private static readonly DateTimeOffset Now = new(2025, 8, 20, 14, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30m", "2025-08-20T13:30:00Z")]
    [InlineData("2h", "2025-08-20T12:00:00Z")]
    [InlineData("1h30m", "2025-08-20T12:30:00Z")]
    [InlineData("3d", "2025-08-17T14:00:00Z")]
    [InlineData("2025-08-19T13:57:00Z", "2025-08-19T13:57:00Z")]
    [InlineData("2025-08-19T15:57:00+02:00", "2025-08-19T13:57:00Z")]
    [InlineData("2025-08-19 13:57", "2025-08-19T13:57:00Z")]
    [InlineData("2025-08-18", "2025-08-18T00:00:00Z")]
    [InlineData("2025-08-20T13:44:17.848Z", "2025-08-20T13:44:17.848Z")]
    public void Parses_relative_and_absolute_times_to_utc(string text, string expected) =>
        Assert.Equal(expected, TimeInput.Format(TimeInput.Parse(text, Now)));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2025-13-01")]
    [InlineData("5x")]
    [InlineData("0m")]
    public void Rejects_what_is_not_a_time(string text)
    {
        var e = Assert.Throws<InvalidInputException>(() => TimeInput.Parse(text, Now));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void Window_rejects_start_after_end()
    {
        var e = Assert.Throws<InvalidInputException>(() => TimeWindow.From(null, "2025-08-20T12:00Z", "2025-08-20T11:00Z", Now));
        Assert.Contains("not before end", e.Message);
    }

    [Fact]
    public void Window_rejects_since_together_with_start() =>
        Assert.Throws<InvalidInputException>(() => TimeWindow.From("2h", "2025-08-20T12:00Z", null, Now));

    [Fact]
    public void Window_from_since_ends_now()
    {
        var w = TimeWindow.From("2h", null, null, Now);
        Assert.Equal(Now.AddHours(-2), w.Start);
        Assert.Equal(Now, w.End);
    }
}
