using System.Collections.Concurrent;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Labs;

/// <summary>
/// Every learner's caching lab, made on first use in this app instance: a copy of the catalog with its own latency
/// (<c>Catalog:ProductCount</c> products, <c>Catalog:DatabaseLatencyMs</c> to start), cache keys under the learner's
/// keyspace, and a write-behind queue with a worker of its own that runs once the learner uses write-behind. A lab
/// no page holds for <c>Caching:LabIdleMinutes</c> and with no write waiting is dropped (its cached copies expire by their
/// TTL); at most <c>Caching:MaxLabs</c> are kept.
/// </summary>
public sealed class CachingLabs : ICachingLabs, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<CachingLab>> _labs = new(StringComparer.Ordinal);
    private readonly IConnectionMultiplexer _mux;
    private readonly RedisGate _redis;
    private readonly RedisTracer _tracer;
    private readonly CacheMetrics _metrics;
    private readonly PendingInvalidations _pending;
    private readonly RedisKeyspace _keyspace;
    private readonly CatalogOptions _catalog;
    private readonly IOptions<CachingOptions> _caching;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<CachingLabs> _logger;
    private readonly Lock _sweepGate = new();
    private DateTimeOffset _lastSweep;

    public CachingLabs(
        CachingLab shared,
        IConnectionMultiplexer mux,
        RedisGate redis,
        RedisTracer tracer,
        CacheMetrics metrics,
        PendingInvalidations pending,
        RedisKeyspace keyspace,
        IOptions<CatalogOptions> catalog,
        IOptions<CachingOptions> caching,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loggers);
        Shared = shared;
        _mux = mux;
        _redis = redis;
        _tracer = tracer;
        _metrics = metrics;
        _pending = pending;
        _keyspace = keyspace;
        _catalog = catalog.Value;
        _caching = caching;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<CachingLabs>();
        _lastSweep = time.GetUtcNow();
    }

    public CachingLab Shared { get; }

    /// <summary>How many learners' labs this instance holds now.</summary>
    public int Count => _labs.Count;

    public CachingLabLease Open(LearnerId learner, bool teacher)
    {
        if (teacher)
        {
            Shared.Touch(_time);
            return Shared.Hold();
        }

        ArgumentException.ThrowIfNullOrEmpty(learner.Value, nameof(learner));
        SweepIfDue();
        if (!_labs.ContainsKey(learner.Value) && _labs.Count >= _caching.Value.MaxLabs)
        {
            // Full: drop the least recently used lab that nobody holds and that has no write waiting.
            Sweep(TimeSpan.Zero, 1);
            if (_labs.Count >= _caching.Value.MaxLabs)
            {
                throw new BudgetExceededException(
                    $"Every caching lab is in use: this app instance holds at most {Wording.Count(_caching.Value.MaxLabs, "learner's lab", "learners' labs")} (Caching:MaxLabs), and each has a page open or a write waiting. " +
                    "Try again when another learner has closed their caching pages, or ask the teacher to raise Caching:MaxLabs.",
                    TimeSpan.FromMinutes(1));
            }
        }

        while (true)
        {
            var lab = _labs.GetOrAdd(learner.Value, _ => new Lazy<CachingLab>(() => Create(learner))).Value;
            var lease = lab.Hold();
            lab.Touch(_time);
            // A sweep may have taken the lab between the lookup and the hold: then make a new one.
            if (_labs.TryGetValue(learner.Value, out var current) && current.IsValueCreated && ReferenceEquals(current.Value, lab))
            {
                return lease;
            }

            lease.Dispose();
        }
    }

    private CachingLab Create(LearnerId learner)
    {
        var caching = _caching.Value;
        var keys = CacheKeys.ForLearner(_keyspace.ForLearner(learner));
        var database = new InMemoryProductDatabase(_catalog.ProductCount, TimeSpan.FromMilliseconds(_catalog.DatabaseLatencyMs), _time, _catalog.MaxProducts);
        var reader = new ProductReader(_redis, database, _tracer, _metrics, keys, _pending, _caching, _loggers.CreateLogger<ProductReader>());
        var writer = new ProductWriter(_redis, database, _tracer, keys, _pending, _caching, _loggers.CreateLogger<ProductWriter>());
        var writeBehind = new WriteBehindService(_redis, database, _tracer, keys, _caching, _time, _loggers.CreateLogger<WriteBehindService>());
        var loopLogger = _loggers.CreateLogger<WriteBehindLoop>();
        var consumer = caching.WriteBehindConsumer;
        _logger.LogDebug("Caching lab made for learner {Learner}", learner.Value);
        return new CachingLab(
            learner,
            keys,
            database,
            reader,
            writer,
            new ProductInvalidation(_mux, _redis, _tracer, keys),
            new CacheInspector(_mux, _redis, _tracer, keys),
            writeBehind,
            new StampedeRace(_redis, database, _tracer, keys),
            new LoadGenerator(reader, writer, database),
            caching.WriteBehindWorkerEnabled ? ct => new WriteBehindLoop(writeBehind, caching, consumer, loopLogger, TimeSpan.FromSeconds(caching.LabWorkerIdleSeconds)).RunAsync(ct) : null);
    }

    private void SweepIfDue()
    {
        var now = _time.GetUtcNow();
        lock (_sweepGate)
        {
            if (now - _lastSweep < TimeSpan.FromMinutes(1))
            {
                return;
            }

            _lastSweep = now;
        }

        Sweep(TimeSpan.FromMinutes(_caching.Value.LabIdleMinutes), int.MaxValue);
    }

    /// <summary>Drops up to <paramref name="max"/> labs unused for <paramref name="idle"/>, oldest first, that no page holds and with no write waiting.</summary>
    internal int Sweep(TimeSpan idle, int max)
    {
        var cutoff = _time.GetUtcNow() - idle;
        var dropped = 0;
        foreach (var entry in _labs.Where(e => e.Value.IsValueCreated).OrderBy(e => e.Value.Value.LastUsed).ToList())
        {
            if (dropped >= max)
            {
                break;
            }

            var lab = entry.Value.Value;
            if (lab.LastUsed > cutoff || lab.Holders > 0 || lab.UnappliedWrites > 0)
            {
                continue;
            }

            if (_labs.TryRemove(entry))
            {
                dropped++;
                _ = DropAsync(lab);
            }
        }

        return dropped;
    }

    private async Task DropAsync(CachingLab lab)
    {
        try
        {
            await lab.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a lab that fails to stop must not take anything else down
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogWarning(ex, "A dropped caching lab did not stop cleanly");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _labs.Values.Where(l => l.IsValueCreated).ToList())
        {
            await entry.Value.DisposeAsync().ConfigureAwait(false);
        }

        _labs.Clear();
    }
}
