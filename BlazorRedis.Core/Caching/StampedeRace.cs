using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BlazorRedis.Core;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>How concurrent readers of one missing key are kept from all loading it.</summary>
public enum StampedeProtection
{
    /// <summary>Every reader that misses loads from the database.</summary>
    None,

    /// <summary>A Redis lock (SET NX PX): one reader loads, the others poll the cache with back-off.</summary>
    Lock,

    /// <summary>Readers in this process share one in-flight load (request coalescing).</summary>
    Coalescing,

    /// <summary>Probabilistic early recomputation (XFetch, Vattani et al., VLDB 2015) on a key about to expire.</summary>
    XFetch,
}

/// <summary>The outcome of one race.</summary>
/// <param name="Protection">The strategy raced.</param>
/// <param name="Requests">Concurrent readers.</param>
/// <param name="DatabaseLoads">Database loads the readers caused (counted at the loader).</param>
/// <param name="Elapsed">From the start signal until the last reader had its value.</param>
/// <param name="Scenario">"cold": a key that does not exist; "expiring": a cached key whose logical expiry is near (XFetch's case).</param>
/// <param name="RedisCommands">Redis commands the readers sent (counted as they were sent).</param>
/// <param name="LockWaits">Readers that waited for another reader's load (lock or coalescing).</param>
/// <param name="WarmupLoads">Loads made before the race to create the expiring key (XFetch only).</param>
/// <param name="P50Ms">Median reader latency.</param>
/// <param name="P99Ms">99th percentile reader latency.</param>
/// <param name="Key">The throw-away key raced on.</param>
/// <param name="ReadersWaited">
/// Readers whose read included a database load: they loaded it themselves, or waited for another reader's load (lock,
/// coalescing). The others were answered from the cache at once. Under XFetch only the few readers that recompute
/// early wait; everybody else reads the still-valid value.
/// </param>
/// <param name="WaitP50Ms">Median wait over all readers (a reader answered from the cache waited 0 ms).</param>
/// <param name="WaitMaxMs">The longest any reader waited for a load (0 when none did).</param>
public sealed record StampedeResult(
    StampedeProtection Protection,
    int Requests,
    int DatabaseLoads,
    TimeSpan Elapsed,
    string Scenario,
    long RedisCommands,
    int LockWaits,
    int WarmupLoads,
    double P50Ms,
    double P99Ms,
    string Key,
    int ReadersWaited = 0,
    double WaitP50Ms = 0,
    double WaitMaxMs = 0);

/// <summary>
/// Races N concurrent readers on a fresh key under one protection and counts the database loads. Each race uses
/// its own throw-away key under <c>{prefix}cache:stampede:</c> and deletes it afterwards. The trace shows the
/// commands of the first reader.
/// </summary>
public sealed class StampedeRace(RedisGate redis, IProductDatabase database, RedisTracer tracer, CacheKeys keys)
{
    private readonly RedisGate _redis = redis;
    private readonly IProductDatabase _database = database;
    private readonly CacheKeys _keys = keys;

    /// <summary>Most readers one race may start.</summary>
    public const int MaxRequests = 5000;

    /// <summary>The product every race reads.</summary>
    public const int ProductId = 1;

    /// <summary>XFetch's β: above 1 favours earlier recomputation.</summary>
    public const double Beta = 1.0;

    internal const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    private readonly ConcurrentDictionary<string, Lazy<Task<Product?>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Parses a protection name (none, lock, coalescing, xfetch); false for anything else.</summary>
    public static bool TryParseProtection(string? name, out StampedeProtection protection)
    {
        // Names only: Enum.TryParse would also take numbers and flag lists ("lock,coalescing" = 1|2 = XFetch).
        var match = Enum.GetNames<StampedeProtection>().FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        protection = match is null ? StampedeProtection.None : Enum.Parse<StampedeProtection>(match);
        return match is not null;
    }

    /// <summary>Checks <paramref name="requests"/>; throws <see cref="ArgumentOutOfRangeException"/> with the allowed range.</summary>
    public static void ValidateRequests(int requests)
    {
        if (requests is < 1 or > MaxRequests)
        {
            throw new LearnerInputException($"Requests must be between 1 and {MaxRequests}.", nameof(requests));
        }
    }

    /// <summary>Runs one race.</summary>
    public async Task<Traced<StampedeResult>> RunAsync(StampedeProtection protection, int requests, CancellationToken cancellationToken = default)
    {
        ValidateRequests(requests);
        if (!Enum.IsDefined(protection))
        {
            throw new ArgumentException("Unknown protection.", nameof(protection));
        }

        _redis.EnsureConnected();
        var race = new Race(this, protection, Guid.NewGuid().ToString("N")[..12], tracer.Start($"Stampede race: {requests} readers, {protection}"));
        try
        {
            return await race.RunAsync(requests, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _redis.Db.KeyDeleteAsync([race.ValueKey, race.LockKey]).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private sealed class Race(StampedeRace owner, StampedeProtection protection, string id, TraceRecorder recorder)
    {
        /// <summary>Thousands of readers queue their commands at once; on a busy machine the last ones need more than the usual deadline.</summary>
        private static readonly TimeSpan RaceCommandTimeout = TimeSpan.FromSeconds(10);

        private readonly TimeSpan _ttl = TimeSpan.FromSeconds(60);

        // Per reader: did its read include a database load (its own or another reader's)? Set where that happens.
        private readonly AsyncLocal<StrongBox<bool>?> _waitedOnLoad = new();
        private int _loads;
        private int _waits;
        private long _commands;

        public RedisKey ValueKey { get; } = owner._keys.StampedeKey(id, "product");

        public RedisKey LockKey { get; } = owner._keys.StampedeKey(id, "lock");

        private TimeSpan LockTtl => TimeSpan.FromMilliseconds(Math.Max(1000, owner._database.Latency.TotalMilliseconds * 3));

        public async Task<Traced<StampedeResult>> RunAsync(int requests, CancellationToken cancellationToken)
        {
            var warmupLoads = 0;
            var scenario = "cold";
            var spacing = TimeSpan.Zero;
            if (protection == StampedeProtection.XFetch)
            {
                // XFetch acts before a key expires: cache the value with a logical expiry a few load-times away, then
                // let the readers arrive while that deadline approaches.
                var sw = Stopwatch.StartNew();
                var product = await owner._database.GetAsync(ProductId, cancellationToken).ConfigureAwait(false);
                sw.Stop();
                warmupLoads = 1;
                var delta = Math.Max(sw.Elapsed.TotalMilliseconds, 20);
                var window = TimeSpan.FromMilliseconds(delta * 4);
                await WriteEntryAsync(TraceRecorder.None, product!, delta, DateTimeOffset.UtcNow + window).ConfigureAwait(false);
                spacing = window / requests;
                scenario = "expiring";
            }

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
                    await ReadAsync(index == 0 ? recorder : TraceRecorder.None, cancellationToken).ConfigureAwait(false);
                    latencies[index] = sw.Elapsed.TotalMilliseconds;
                    waits[index] = waited.Value ? latencies[index] : 0;
                }, cancellationToken);
            }

            var total = Stopwatch.StartNew();
            start.SetResult();
            await Task.WhenAll(readers).ConfigureAwait(false);
            total.Stop();
            Array.Sort(latencies);
            Array.Sort(waits);
            var result = new StampedeResult(
                protection,
                requests,
                _loads,
                total.Elapsed,
                scenario,
                Interlocked.Read(ref _commands),
                _waits,
                warmupLoads,
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.99),
                ValueKey!,
                waits.Count(w => w > 0),
                Percentile(waits, 0.50),
                waits.Length == 0 ? 0 : Math.Round(waits[^1], 1));
            return new(result, recorder.Finish());
        }

        private Task<Product?> ReadAsync(TraceRecorder trace, CancellationToken cancellationToken) => protection switch
        {
            StampedeProtection.None => ReadNoneAsync(trace, cancellationToken),
            StampedeProtection.Lock => ReadWithLockAsync(trace, cancellationToken),
            StampedeProtection.Coalescing => ReadCoalescedAsync(trace, cancellationToken),
            _ => ReadXFetchAsync(trace, cancellationToken),
        };

        private async Task<Product?> ReadNoneAsync(TraceRecorder trace, CancellationToken cancellationToken)
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

        private async Task<Product?> ReadWithLockAsync(TraceRecorder trace, CancellationToken cancellationToken)
        {
            var token = Guid.NewGuid().ToString("N");
            var backoff = TimeSpan.FromMilliseconds(10);
            var waited = false;
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cached = await GetAsync(trace).ConfigureAwait(false);
                if (cached is not null)
                {
                    return cached;
                }

                var ms = (long)LockTtl.TotalMilliseconds;
                var acquired = await RunAsync(
                    trace,
                    RedisCommandText.Format("SET", LockKey, token, "NX", "PX", ms),
                    $"var token = Guid.NewGuid().ToString(\"N\"); // this reader's proof of ownership\nvar ok = await db.ExecuteAsync(\"SET\", {Cs(LockKey)}, token, \"NX\", \"PX\", {ms}); // OK or (nil)",
                    async db => !(await db.ExecuteAsync("SET", LockKey, token, "NX", "PX", ms).ConfigureAwait(false)).IsNull,
                    ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
                if (acquired)
                {
                    try
                    {
                        // Double-check: the previous holder may have filled the key between our GET and our SET NX.
                        var again = await GetAsync(trace).ConfigureAwait(false);
                        if (again is not null)
                        {
                            return again;
                        }

                        var product = await LoadAsync(cancellationToken).ConfigureAwait(false);
                        await SetAsync(trace, product).ConfigureAwait(false);
                        return product;
                    }
                    finally
                    {
                        await RunAsync(
                            trace,
                            RedisCommandText.Format("EVAL", ReleaseScript, 1, LockKey, token),
                            $"await db.ScriptEvaluateAsync({RedisCommandText.CSharpLiteral(ReleaseScript)}, [{Cs(LockKey)}], [token]); // delete the lock only if it is still ours",
                            db => db.ScriptEvaluateAsync(ReleaseScript, [LockKey], [token]),
                            r => r.ToString()).ConfigureAwait(false);
                    }
                }

                if (!waited)
                {
                    waited = true;
                    MarkWaited();
                    Interlocked.Increment(ref _waits);
                }

                if (deadline.Elapsed > LockTtl * 3 && deadline.Elapsed > RaceCommandTimeout)
                {
                    throw new TimeoutException("Waited too long for another reader's load.");
                }

                // Someone else is loading: wait, with growing back-off and jitter so the waiters do not poll in lockstep.
                await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 10)), cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 1.5, 200));
            }
        }

        private async Task<Product?> ReadCoalescedAsync(TraceRecorder trace, CancellationToken cancellationToken)
        {
            var cached = await GetAsync(trace).ConfigureAwait(false);
            if (cached is not null)
            {
                return cached;
            }

            var flightKey = (string)ValueKey!;
            var mine = new Lazy<Task<Product?>>(() => LoadOnceAsync(trace, cancellationToken));
            var flight = owner._inFlight.GetOrAdd(flightKey, mine);
            if (!ReferenceEquals(flight, mine))
            {
                MarkWaited();
                Interlocked.Increment(ref _waits);
            }

            try
            {
                return await flight.Value.ConfigureAwait(false);
            }
            finally
            {
                owner._inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<Product?>>>(flightKey, flight));
            }
        }

        private async Task<Product?> LoadOnceAsync(TraceRecorder trace, CancellationToken cancellationToken)
        {
            // A reader that missed just after the previous flight ended finds the value here instead of loading again.
            var again = await GetAsync(trace).ConfigureAwait(false);
            if (again is not null)
            {
                return again;
            }

            var product = await LoadAsync(cancellationToken).ConfigureAwait(false);
            await SetAsync(trace, product).ConfigureAwait(false);
            return product;
        }

        private async Task<Product?> ReadXFetchAsync(TraceRecorder trace, CancellationToken cancellationToken)
        {
            var json = await RunAsync(
                trace,
                RedisCommandText.Format("GET", ValueKey),
                $"var json = await db.StringGetAsync({Cs(ValueKey)}); // value + delta + expiry",
                db => db.StringGetAsync(ValueKey),
                RedisCommandText.Reply).ConfigureAwait(false);
            var entry = json.IsNull ? null : JsonSerializer.Deserialize((string)json!, CachingJsonContext.Default.XFetchEntry);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            // XFetch: recompute early when now − δ·β·ln(rand) ≥ expiry. ln(rand) < 0, so the left side is "now plus a
            // random head start" that grows with δ (slow values start earlier) and rarely reaches far ahead.
            if (entry is not null && now - (entry.DeltaMs * Beta * Math.Log(1 - Random.Shared.NextDouble())) < entry.ExpiresAtMs)
            {
                return entry.Value;
            }

            var sw = Stopwatch.StartNew();
            var product = await LoadAsync(cancellationToken).ConfigureAwait(false);
            sw.Stop();
            await WriteEntryAsync(trace, product!, sw.Elapsed.TotalMilliseconds, DateTimeOffset.UtcNow + _ttl).ConfigureAwait(false);
            return product;
        }

        private Task<bool> WriteEntryAsync(TraceRecorder trace, Product product, double deltaMs, DateTimeOffset expiresAt)
        {
            var json = JsonSerializer.Serialize(new XFetchEntry(product, Math.Round(deltaMs, 1), expiresAt.ToUnixTimeMilliseconds()), CachingJsonContext.Default.XFetchEntry);
            var ttl = (long)_ttl.TotalSeconds;
            return RunAsync(
                trace,
                RedisCommandText.Format("SETEX", ValueKey, ttl, json),
                $"await db.StringSetAsync({Cs(ValueKey)}, {Cs(json)}, TimeSpan.FromSeconds({ttl})); // {{ value, delta, expiry }}",
                db => db.StringSetAsync(ValueKey, json, _ttl),
                ok => ok ? "OK" : "(nil)");
        }

        private async Task<Product?> GetAsync(TraceRecorder trace)
        {
            var json = await RunAsync(
                trace,
                RedisCommandText.Format("GET", ValueKey),
                $"var json = await db.StringGetAsync({Cs(ValueKey)});",
                db => db.StringGetAsync(ValueKey),
                RedisCommandText.Reply).ConfigureAwait(false);
            return json.IsNull ? null : JsonSerializer.Deserialize((string)json!, CachingJsonContext.Default.Product);
        }

        private Task SetAsync(TraceRecorder trace, Product? product)
        {
            if (product is null)
            {
                return Task.CompletedTask;
            }

            var json = JsonSerializer.Serialize(product, CachingJsonContext.Default.Product);
            var ttl = (long)_ttl.TotalSeconds;
            return RunAsync(
                trace,
                RedisCommandText.Format("SETEX", ValueKey, ttl, json),
                $"await db.StringSetAsync({Cs(ValueKey)}, {Cs(json)}, TimeSpan.FromSeconds({ttl}));",
                db => db.StringSetAsync(ValueKey, json, _ttl),
                ok => ok ? "OK" : "(nil)");
        }

        private void MarkWaited()
        {
            if (_waitedOnLoad.Value is { } waited)
            {
                waited.Value = true;
            }
        }

        private async Task<Product?> LoadAsync(CancellationToken cancellationToken)
        {
            MarkWaited();
            Interlocked.Increment(ref _loads);
            return await owner._database.GetAsync(ProductId, cancellationToken).ConfigureAwait(false);
        }

        private Task<T> RunAsync<T>(TraceRecorder trace, string command, string csharp, Func<IDatabase, Task<T>> call, Func<T, string> describe)
        {
            Interlocked.Increment(ref _commands);
            return owner._redis.RunAsync(trace, command, csharp, call, describe, RaceCommandTimeout);
        }

        private static double Percentile(double[] sorted, double q) =>
            sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 1);

        private static string Cs(string? text) => RedisCommandText.CSharpString(text);
    }
}
