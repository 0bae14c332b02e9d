namespace BlazorRedis.Core.Metrics;

/// <summary>
/// The latencies of one second. Keeps every value up to its capacity; past that, Vitter's Algorithm R keeps a
/// uniform random sample, so percentiles stay honest under heavy load while memory stays bounded.
/// </summary>
internal sealed class LatencyReservoir(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private int _stored;

    /// <summary>Every value offered, sampled or not.</summary>
    public long Count { get; private set; }

    public void Add(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return;
        }

        Count++;
        if (_stored < _values.Length)
        {
            _values[_stored++] = value;
            return;
        }

        var slot = Random.Shared.NextInt64(Count);
        if (slot < _values.Length)
        {
            _values[slot] = value;
        }
    }

    public void Clear()
    {
        _stored = 0;
        Count = 0;
    }

    /// <summary>p50/p95/p99 by the nearest-rank method over the kept values.</summary>
    public LatencySummary Summarize()
    {
        if (_stored == 0)
        {
            return LatencySummary.None;
        }

        var sorted = _values.AsSpan(0, _stored).ToArray();
        Array.Sort(sorted);
        return new LatencySummary(Count, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99));
    }

    /// <summary>The smallest value with at least <paramref name="percent"/>% of the values at or below it.</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
