using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hokusai.Incidents.Aws;

/// <summary>
/// A token bucket per account and region, shared by every request in the process, so parallel pulls
/// stay under the account's API rate instead of throttling each other.
/// </summary>
public sealed class RequestBudget
{
    private static readonly ConcurrentDictionary<string, RequestBudget> Budgets = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private long _lastTicks = Stopwatch.GetTimestamp();

    private RequestBudget(double perSecond)
    {
        _perSecond = perSecond;
        _burst = Math.Max(1, perSecond);
        _tokens = _burst;
    }

    public static RequestBudget For(string key, double perSecond) =>
        Budgets.GetOrAdd($"{key}|{perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)}", _ => new RequestBudget(perSecond));

    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(_burst, _tokens + (Stopwatch.GetElapsedTime(_lastTicks, now).TotalSeconds * _perSecond));
                _lastTicks = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return;
                }
                wait = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
            }
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
