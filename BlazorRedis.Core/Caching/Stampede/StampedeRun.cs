using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>
/// One race: its throw-away keys, its counters (loads, waits, commands, which reader waited on a load) and the cache
/// steps every protection shares. A protection (<see cref="IStampedeProtection"/>) decides how a reader reads. The
/// race of one page uses it with many readers in this process; a class round uses one run per learner's read, on keys
/// of the class, with the load counted in Redis (<see cref="BeforeLoad"/>) so every app instance counts the same loads.
/// </summary>
internal sealed class StampedeRun(IStampedeProtection protection, RedisGate redis, IProductDatabase database, RedisKey valueKey, RedisKey lockKey, TraceRecorder recorder)
{
    /// <summary>Thousands of readers queue their commands at once; on a busy machine the last ones need more than the usual deadline.</summary>
    internal static readonly TimeSpan RaceCommandTimeout = TimeSpan.FromSeconds(10);

    private readonly IStampedeProtection _protection = protection;
    private readonly RedisGate _redis = redis;
    private readonly IProductDatabase _database = database;
    private readonly TraceRecorder _recorder = recorder;
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(60);

    // Per reader: did its read include a database load (its own or another reader's)? Set where that happens.
    private readonly AsyncLocal<StrongBox<bool>?> _waitedOnLoad = new();
    private int _loads;
    private int _waits;
    private long _commands;

    /// <summary>A race on throw-away keys under <c>{prefix}{cache}:stampede:ID:</c>.</summary>
    public StampedeRun(IStampedeProtection protection, RedisGate redis, IProductDatabase database, CacheKeys keys, string id, TraceRecorder recorder)
        : this(protection, redis, database, keys.StampedeKey(id, "product"), keys.StampedeKey(id, "lock"), recorder)
    {
    }

    /// <summary>The key raced on.</summary>
    public RedisKey ValueKey { get; } = valueKey;

    /// <summary>The lock's key (lock protection only).</summary>
    public RedisKey LockKey { get; } = lockKey;

    /// <summary>
    /// Runs before each database load (after it is counted here): a class round counts the load in Redis and holds it
    /// until the round's window closes, so every read of the window finds the key still cold.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeLoad { get; init; }

    /// <summary>The product the readers load (the libraries lab races the learner's pick on its own database).</summary>
    public int ProductId { get; init; } = StampedeRace.ProductId;

    /// <summary>The lock's lifetime when the default (three loads) is too short: a class round's load lasts its window.</summary>
    public TimeSpan? LockTtlOverride { get; init; }

    /// <summary>
    /// The database's latency as the race starts (<see cref="IProductDatabase.GetLatencyAsync"/>), read once by whoever
    /// makes the run: a thousand readers asking the shared database each would block a thousand threads on Redis.
    /// </summary>
    public TimeSpan DatabaseLatency { get; init; }

    /// <summary>Database loads this run made.</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>Readers of this run that waited for another reader's load.</summary>
    public int Waits => Volatile.Read(ref _waits);

    /// <summary>The slow database.</summary>
    public IProductDatabase Database => _database;

    /// <summary>How long a filled value lives.</summary>
    public TimeSpan Ttl => _ttl;

    /// <summary>Three database loads, at least one second: a lock that outlives a crashed holder, but not for long.</summary>
    public TimeSpan LockTtl => LockTtlOverride ?? DefaultLockTtl(DatabaseLatency);

    /// <summary>Three loads of <paramref name="databaseLatency"/>, at least one second.</summary>
    public static TimeSpan DefaultLockTtl(TimeSpan databaseLatency) => TimeSpan.FromMilliseconds(Math.Max(1000, databaseLatency.TotalMilliseconds * 3));

    /// <summary>Counts a reader that waited for another reader's load.</summary>
    public void CountWait() => Interlocked.Increment(ref _waits);

    /// <summary>Starts the readers together (or spaced, as the protection prepared) and measures each one.</summary>
    public async Task<Traced<StampedeResult>> RaceAsync(int requests, CancellationToken cancellationToken)
    {
        var setup = await _protection.PrepareAsync(this, requests, cancellationToken).ConfigureAwait(false);
        var spacing = setup.Spacing;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var latencies = new double[requests];
        var waits = new double[requests];
        var readers = new Task[requests];
        for (var i = 0; i < requests; i++)
        {
            var index = i;
            readers[i] = Task.Run(async () =>
            {
                await start.Task.ConfigureAwait(false);
                if (spacing > TimeSpan.Zero)
                {
                    await Task.Delay(spacing * index, cancellationToken).ConfigureAwait(false);
                }

                var waited = new StrongBox<bool>();
                _waitedOnLoad.Value = waited;
                var sw = Stopwatch.StartNew();
                await _protection.ReadAsync(this, index == 0 ? _recorder : TraceRecorder.None, cancellationToken).ConfigureAwait(false);
                latencies[index] = sw.Elapsed.TotalMilliseconds;
                waits[index] = waited.Value ? latencies[index] : 0;
            }, cancellationToken);
        }

        if (setup.Arm is { } arm)
        {
            try
            {
                await arm().ConfigureAwait(false);
            }
            catch
            {
                start.SetCanceled(CancellationToken.None); // the readers waiting to start end instead of waiting forever
                throw;
            }
        }

        var total = Stopwatch.StartNew();
        start.SetResult();
        await Task.WhenAll(readers).ConfigureAwait(false);
        total.Stop();
        Array.Sort(latencies);
        Array.Sort(waits);
        var result = new StampedeResult(
            _protection.Kind,
            requests,
            _loads,
            total.Elapsed,
            setup.Scenario,
            Interlocked.Read(ref _commands),
            _waits,
            setup.WarmupLoads,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            ValueKey!,
            waits.Count(w => w > 0),
            Percentile(waits, 0.50),
            waits.Length == 0 ? 0 : Math.Round(waits[^1], 1));
        return new(result, _recorder.Finish());
    }

    public Task<bool> WriteEntryAsync(TraceRecorder trace, Product product, double deltaMs, DateTimeOffset expiresAt) =>
        SetJsonAsync(trace, JsonSerializer.Serialize(new XFetchEntry(product, Math.Round(deltaMs, 1), expiresAt.ToUnixTimeMilliseconds()), CachingJsonContext.Default.XFetchEntry), " // { value, delta, expiry }");

    /// <summary>GET; on a miss load from the database and SETEX: the read every protection falls back to once it may load.</summary>
    public async Task<Product?> ReadThroughAsync(TraceRecorder trace, CancellationToken cancellationToken)
    {
        var cached = await GetAsync(trace).ConfigureAwait(false);
        if (cached is not null)
        {
            return cached;
        }

        var product = await LoadAsync(cancellationToken).ConfigureAwait(false);
        await SetAsync(trace, product).ConfigureAwait(false);
        return product;
    }

    public async Task<Product?> GetAsync(TraceRecorder trace)
    {
        var json = await RunAsync(
            trace,
            RedisCommandText.Format("GET", ValueKey),
            $"var json = await db.StringGetAsync({Cs(ValueKey)});",
            db => db.StringGetAsync(ValueKey),
            RedisCommandText.Reply).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize((string)json!, CachingJsonContext.Default.Product);
    }

    public Task SetAsync(TraceRecorder trace, Product? product) =>
        product is null ? Task.CompletedTask : SetJsonAsync(trace, JsonSerializer.Serialize(product, CachingJsonContext.Default.Product), "");

    private Task<bool> SetJsonAsync(TraceRecorder trace, string json, string comment)
    {
        var ttl = (long)_ttl.TotalSeconds;
        return RunAsync(
            trace,
            RedisCommandText.Format("SETEX", ValueKey, ttl, json),
            $"await db.StringSetAsync({Cs(ValueKey)}, {Cs(json)}, TimeSpan.FromSeconds({ttl}));{comment}",
            db => db.StringSetAsync(ValueKey, json, _ttl),
            ok => ok ? "OK" : "(nil)");
    }

    public void MarkWaited()
    {
        if (_waitedOnLoad.Value is { } waited)
        {
            waited.Value = true;
        }
    }

    public async Task<Product?> LoadAsync(CancellationToken cancellationToken)
    {
        MarkWaited();
        Interlocked.Increment(ref _loads);
        if (BeforeLoad is { } before)
        {
            await before(cancellationToken).ConfigureAwait(false);
        }

        return await _database.GetAsync(ProductId, cancellationToken).ConfigureAwait(false);
    }

    public Task<T> RunAsync<T>(TraceRecorder trace, string command, string csharp, Func<IDatabase, Task<T>> call, Func<T, string> describe)
    {
        Interlocked.Increment(ref _commands);
        return _redis.RunAsync(trace, command, csharp, call, describe, RaceCommandTimeout);
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 1);

    /// <summary>A key or value as a C# literal for a snippet.</summary>
    internal static string Cs(string? text) => RedisCommandText.CSharpString(text);
}
