namespace Hokusai.Incidents.Aws.Tests;

public sealed class RequestBudgetTests
{
    private static RequestBudget Fresh(double perSecond) => RequestBudget.For($"test-{Guid.NewGuid():N}", perSecond);

    [Fact]
    public void Throttles_halve_the_rate_down_to_a_floor_and_successes_win_it_back_to_the_configured_rate()
    {
        var budget = Fresh(10);
        budget.Throttled();
        Assert.Equal(5, budget.CurrentRate);
        for (var i = 0; i < 10; i++)
        {
            budget.Throttled();
        }
        Assert.Equal(0.5, budget.CurrentRate);

        budget.Succeeded();
        Assert.Equal(1, budget.CurrentRate, 6);
        for (var i = 0; i < 100; i++)
        {
            budget.Succeeded();
        }
        Assert.Equal(10, budget.CurrentRate);
    }

    [Fact]
    public async Task A_throttled_budget_makes_the_next_request_wait()
    {
        var budget = Fresh(50);
        await budget.AcquireAsync(default);
        for (var i = 0; i < 3; i++)
        {
            budget.Throttled();
        }
        // 50 → 6.25 requests a second, and the tokens on hand were given up: the next one waits ~160 ms.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await budget.AcquireAsync(default);
        Assert.InRange(watch.Elapsed.TotalMilliseconds, 100, 5_000);
    }
}
