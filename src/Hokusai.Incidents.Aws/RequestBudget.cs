using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hokusai.Incidents.Aws;

/// <summary>
/// A token bucket per account and region, shared by every request in the process, so parallel pulls
/// stay under the account's API rate instead of throttling each other. The rate adapts: a throttle
/// halves it (someone else is using the account's quota too), and each success wins back a twentieth
/// of the configured rate, so a pull settles just under what the account has left.
/// </summary>
public sealed class RequestBudget
{
    private static readonly ConcurrentDictionary<string, RequestBudget> Budgets = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly double _ceiling;
    private readonly double _floor;
    private double _perSecond;
    private double _tokens;
    private long _lastTicks = Stopwatch.GetTimestamp();

    private RequestBudget(double perSecond)
    {
        _ceiling = perSecond;
        _floor = Math.Min(perSecond, 0.5);
        _perSecond = perSecond;
        _tokens = Burst;
    }

    /// <summary>Requests per second allowed now.</summary>
    public double CurrentRate
    {
        get
        {
            lock (_gate)
            {
                return _perSecond;
            }
        }
    }

    // A slowed budget also allows a smaller burst, or the halving would be undone at once.
    private double Burst => Math.Max(1, _perSecond);

    /// <summary>The service said to slow down.</summary>
    public void Throttled()
    {
        lock (_gate)
        {
            _perSecond = Math.Max(_floor, _perSecond / 2);
            _tokens = Math.Min(_tokens, 0);
        }
    }

    /// <summary>A request went through.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            _perSecond = Math.Min(_ceiling, _perSecond + (_ceiling / 20));
        }
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
                _tokens = Math.Min(Burst, _tokens + (Stopwatch.GetElapsedTime(_lastTicks, now).TotalSeconds * _perSecond));
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
