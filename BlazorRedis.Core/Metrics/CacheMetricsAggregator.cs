using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.Metrics;

/// <summary>
/// Listens to the instruments of one <see cref="CacheMetrics"/> (a <see cref="MeterListener"/> bound to that very
/// meter instance, so two apps in one process never mix) and turns the measurements into one
/// <see cref="MetricsSnapshot"/> per <see cref="Flush()"/>. <see cref="CacheMetricsPublisher"/> flushes once a second.
/// </summary>
public sealed class CacheMetricsAggregator : ICacheMetricsFeed, IDisposable
{
    private readonly MeterListener _listener;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _windowSize;
    private readonly Lock _recordLock = new();
    private readonly Lock _flushLock = new();
    private readonly Queue<MetricsSnapshot> _window = new();
    private Bucket _current;
    private Bucket _spare;
    private long _lastFlushTimestamp;
    private long _totalHits;
    private long _totalMisses;
    private long _totalLoads;
    private DateTimeOffset _totalsSince;
    private MetricsSnapshot[] _recent = [];

    public CacheMetricsAggregator(CacheMetrics metrics, IOptions<CacheMetricsOptions> options, TimeProvider? time = null, ILogger<CacheMetricsAggregator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _windowSize = settings.WindowSeconds;
        _current = new Bucket(settings.ReservoirSize);
        _spare = new Bucket(settings.ReservoirSize);
        _lastFlushTimestamp = _time.GetTimestamp();
        _totalsSince = _time.GetUtcNow();

        var meter = metrics.Meter;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => OnCount(instrument.Name, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => OnLatency(instrument.Name, value));
        _listener.Start();
    }

    /// <inheritdoc />
    public event Action<MetricsSnapshot>? SnapshotPublished;

    /// <inheritdoc />
    public IReadOnlyList<MetricsSnapshot> Recent => Volatile.Read(ref _recent);

    /// <inheritdoc />
    public CacheTotals Totals
    {
        get
        {
            lock (_recordLock)
            {
                return CurrentTotals();
            }
        }
    }

    /// <inheritdoc />
    public CacheTotals ResetTotals()
    {
        lock (_recordLock)
        {
            _totalHits = 0;
            _totalMisses = 0;
            _totalLoads = 0;
            _totalsSince = _time.GetUtcNow();
            return CurrentTotals();
        }
    }

    /// <summary>Closes the current second: builds its snapshot, adds it to the window and tells every subscriber.</summary>
    public MetricsSnapshot Flush()
    {
        lock (_flushLock)
        {
            var now = _time.GetTimestamp();
            var interval = _time.GetElapsedTime(_lastFlushTimestamp, now);
            _lastFlushTimestamp = now;
            return Flush(_time.GetUtcNow(), interval);
        }
    }

    /// <summary>Closes the current bucket as if <paramref name="interval"/> had passed (tests use it for exact rates).</summary>
    internal MetricsSnapshot Flush(DateTimeOffset timestamp, TimeSpan interval)
    {
        Bucket closed;
        CacheTotals totals;
        lock (_recordLock)
        {
            closed = _current;
            _current = _spare;
            _spare = closed;
            totals = CurrentTotals();
        }

        // The closed bucket is only ours now: recording goes to the other one.
        var snapshot = closed.ToSnapshot(timestamp, interval, totals);
        closed.Clear();

        lock (_window)
        {
            _window.Enqueue(snapshot);
            while (_window.Count > _windowSize)
            {
                _window.Dequeue();
            }

            Volatile.Write(ref _recent, _window.ToArray());
        }

        Publish(snapshot);
        return snapshot;
    }

    public void Dispose() => _listener.Dispose();

    private void Publish(MetricsSnapshot snapshot)
    {
        if (SnapshotPublished is not { } handlers)
        {
            return;
        }

        // One faulty subscriber (a closed circuit, say) must not keep the snapshot from the others.
        foreach (var handler in handlers.GetInvocationList().Cast<Action<MetricsSnapshot>>())
        {
            try
            {
                handler(snapshot);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogWarning(ex, "A metrics subscriber failed");
            }
        }
    }

    private void OnCount(string instrument, long value)
    {
        lock (_recordLock)
        {
            switch (instrument)
            {
                case Instruments.Hits:
                    _current.Hits += value;
                    _totalHits += value;
                    break;
                case Instruments.Misses:
                    _current.Misses += value;
                    _totalMisses += value;
                    break;
                case Instruments.DatabaseLoads:
                    _current.DatabaseLoads += value;
                    _totalLoads += value;
                    break;
            }
        }
    }

    private void OnLatency(string instrument, double milliseconds)
    {
        lock (_recordLock)
        {
            switch (instrument)
            {
                case Instruments.CacheLatency:
                    _current.CacheLatency.Add(milliseconds);
                    break;
                case Instruments.DatabaseLatency:
                    _current.DatabaseLatency.Add(milliseconds);
                    break;
            }
        }
    }

    private CacheTotals CurrentTotals()
    {
        var reads = _totalHits + _totalMisses;
        return new CacheTotals(_totalHits, _totalMisses, reads == 0 ? 0 : (double)_totalHits / reads, _totalLoads, _totalsSince);
    }

    private sealed class Bucket(int reservoirSize)
    {
        public long Hits { get; set; }
        public long Misses { get; set; }
        public long DatabaseLoads { get; set; }
        public LatencyReservoir CacheLatency { get; } = new(reservoirSize);
        public LatencyReservoir DatabaseLatency { get; } = new(reservoirSize);

        public MetricsSnapshot ToSnapshot(DateTimeOffset timestamp, TimeSpan interval, CacheTotals totals)
        {
            var cacheReads = Hits + Misses;

            // A miss usually causes a load; a load without a miss is a bypass or an uncached read, a request of its own.
            var requests = cacheReads + Math.Max(0, DatabaseLoads - Misses);
            var seconds = interval > TimeSpan.Zero ? interval.TotalSeconds : 1;
            return new MetricsSnapshot(
                timestamp,
                Hits,
                Misses,
                DatabaseLoads,
                cacheReads == 0 ? null : (double)Hits / cacheReads,
                requests / seconds,
                CacheLatency.Summarize(),
                DatabaseLatency.Summarize(),
                totals);
        }

        public void Clear()
        {
            Hits = 0;
            Misses = 0;
            DatabaseLoads = 0;
            CacheLatency.Clear();
            DatabaseLatency.Clear();
        }
    }

    /// <summary>The instrument names <see cref="CacheMetrics"/> creates (the tests prove every Record… call arrives here).</summary>
    public static class Instruments
    {
        public const string Hits = "blazorredis.cache.hits";
        public const string Misses = "blazorredis.cache.misses";
        public const string DatabaseLoads = "blazorredis.database.loads";
        public const string CacheLatency = "blazorredis.cache.latency";
        public const string DatabaseLatency = "blazorredis.database.latency";
    }
}
