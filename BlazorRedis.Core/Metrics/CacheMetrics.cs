using System.Diagnostics.Metrics;

namespace BlazorRedis.Core.Metrics;

/// <summary>
/// The cache's instruments (<see cref="System.Diagnostics.Metrics"/>), in one place with one meter name.
/// Every cache read records a hit or a miss with its latency; every database load records its own latency,
/// so the cache path and the database path can be charted apart.
/// </summary>
public sealed class CacheMetrics : IDisposable
{
    /// <summary>The meter every BlazorRedis instrument lives on.</summary>
    public const string MeterName = "BlazorRedis.Cache";

    private readonly Meter _meter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _databaseLoads;
    private readonly Histogram<double> _cacheLatency;
    private readonly Histogram<double> _databaseLatency;

    public CacheMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _hits = _meter.CreateCounter<long>("blazorredis.cache.hits", description: "Cache reads answered by Redis");
        _misses = _meter.CreateCounter<long>("blazorredis.cache.misses", description: "Cache reads Redis could not answer");
        _databaseLoads = _meter.CreateCounter<long>("blazorredis.database.loads", description: "Reads that went to the (slow) database");
        _cacheLatency = _meter.CreateHistogram<double>("blazorredis.cache.latency", "ms", "Latency of reads answered from the cache");
        _databaseLatency = _meter.CreateHistogram<double>("blazorredis.database.latency", "ms", "Latency of reads that loaded from the database");
    }

    /// <summary>The meter (for listeners and tests).</summary>
    public Meter Meter => _meter;

    /// <summary>A read answered from Redis in <paramref name="latency"/>.</summary>
    public void RecordHit(TimeSpan latency)
    {
        _hits.Add(1);
        _cacheLatency.Record(latency.TotalMilliseconds);
    }

    /// <summary>A read Redis could not answer (the database load is recorded separately).</summary>
    public void RecordMiss() => _misses.Add(1);

    /// <summary>A load from the database that took <paramref name="latency"/> (a miss, a bypass or an uncached read).</summary>
    public void RecordDatabaseLoad(TimeSpan latency)
    {
        _databaseLoads.Add(1);
        _databaseLatency.Record(latency.TotalMilliseconds);
    }

    public void Dispose() => _meter.Dispose();
}
