using System.Globalization;
using System.Text.Json;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>
/// "The database" of a fleet (<c>ScaleOut:SharedDatabase</c>): the catalog's rows, the applied-writes table and the
/// latency live in Redis under <c>{prefix}{db}:…</c> (one hash tag, so each Lua script runs in one cluster slot), apart
/// from the cache's keys, so every instance reads and writes one database. It still pays <see cref="Latency"/> per call
/// and counts this instance's loads and writes. Its commands are not the cache's: they are never traced.
/// </summary>
public sealed class RedisProductDatabase : IProductDatabase, IDisposable
{
    // KEYS: products, nextid, latency. ARGV: next id, latency ms, then id/row pairs. Seeds once: never over a fleet's data.
    private const string SeedScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        redis.call('SET', KEYS[2], ARGV[1])
        redis.call('SET', KEYS[3], ARGV[2], 'NX')
        return 1
        """;

    // KEYS: products, nextid. ARGV: max products, row. The new id, or -1 when the catalog is full.
    private const string CreateScript = """
        if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
        local id = redis.call('INCR', KEYS[2])
        redis.call('HSET', KEYS[1], id, ARGV[2])
        return id
        """;

    // KEYS: products, lastqueued, directat. ARGV: id, new row, its UpdatedAt (ticks, D19), the row expected ('' = any).
    // 1 written, -1 no such product, 0 the row changed meanwhile.
    private const string DirectWriteScript = """
        local row = redis.call('HGET', KEYS[1], ARGV[1])
        if not row then return -1 end
        if ARGV[4] ~= '' and row ~= ARGV[4] then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
        return 1
        """;

    // KEYS: products, lastqueued, directat. ARGV: id. 1 when it existed.
    private const string DeleteScript = """
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        return redis.call('HDEL', KEYS[1], ARGV[1])
        """;

    // KEYS: products, applied, appliedlog, lastqueued, directat, appliedcount. ARGV: the ids to keep, then groups of
    // write id (wid), entry id (the order), product id, row, queued at (ticks, D19). Each write and the record of its id
    // change together, and the oldest ids beyond the bound leave the set and the log together; returns { applied, superseded }.
    private const string ApplyScript = """
        local function split(id)
          local ms, seq = string.match(id, '^(%d+)%-(%d+)$')
          if not ms then ms = string.match(id, '^(%d+)$'); seq = '0' end
          if not ms then return -1, -1 end
          return tonumber(ms), tonumber(seq)
        end
        local function older(a, b)
          local am, as = split(a)
          local bm, bs = split(b)
          if am ~= bm then return am < bm end
          return as < bs
        end
        local applied, superseded = 0, 0
        if redis.call('EXISTS', KEYS[6]) == 0 then redis.call('SET', KEYS[6], redis.call('LLEN', KEYS[3])) end
        for i = 2, #ARGV, 5 do
          local wid, eid, pid, row, at = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
          if redis.call('SADD', KEYS[2], wid) == 1 then
            redis.call('RPUSH', KEYS[3], wid)
            redis.call('INCR', KEYS[6])
            if redis.call('HEXISTS', KEYS[1], pid) == 1 then
              local last = redis.call('HGET', KEYS[4], pid)
              local old
              if last then old = older(eid, last) else
                local direct = redis.call('HGET', KEYS[5], pid)
                old = direct and at < direct
              end
              if old then superseded = superseded + 1 else
                redis.call('HSET', KEYS[1], pid, row)
                redis.call('HSET', KEYS[4], pid, eid)
                redis.call('HDEL', KEYS[5], pid)
                applied = applied + 1
              end
            end
          end
        end
        local over = redis.call('LLEN', KEYS[3]) - tonumber(ARGV[1])
        while over > 0 do
          local n = math.min(over, 1000)
          redis.call('SREM', KEYS[2], unpack(redis.call('LRANGE', KEYS[3], 0, n - 1)))
          redis.call('LTRIM', KEYS[3], n, -1)
          over = over - n
        end
        return { applied, superseded }
        """;

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisCommandBudget _budget;
    private readonly TimeProvider _time;
    private readonly CatalogOptions _options;
    private readonly RedisKey _products;
    private readonly RedisKey _nextId;
    private readonly RedisKey _latency;
    private readonly RedisKey _applied;
    private readonly RedisKey _appliedLog;
    private readonly RedisKey _appliedCount;
    private readonly RedisKey _lastQueued;
    private readonly RedisKey _directAt;
    private long _latencyTicks;
    private long _loads;
    private long _writes;
    private long _superseded;
    private volatile bool _seeded;

    public RedisProductDatabase(IConnectionMultiplexer mux, RedisKeyspace keyspace, RedisCommandBudget budget, IOptions<CatalogOptions> options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keyspace);
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _budget = budget ?? throw new ArgumentNullException(nameof(budget));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        _products = keyspace.Tagged("db", "products");
        _nextId = keyspace.Tagged("db", "nextid");
        _latency = keyspace.Tagged("db", "latency");
        _applied = keyspace.Tagged("db", "applied");
        _appliedLog = keyspace.Tagged("db", "appliedlog");
        _appliedCount = keyspace.Tagged("db", "appliedcount");
        _lastQueued = keyspace.Tagged("db", "lastqueued");
        _directAt = keyspace.Tagged("db", "directat");
        _latencyTicks = TimeSpan.FromMilliseconds(_options.DatabaseLatencyMs).Ticks;
        _mux.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>Stops watching the connection.</summary>
    public void Dispose() => _mux.ConnectionRestored -= OnConnectionRestored;

    /// <summary>The fleet's latency (read from Redis; the last one read while Redis is unreachable).</summary>
    public TimeSpan Latency
    {
        get
        {
            if (_mux.IsConnected)
            {
                try
                {
                    Remember(_mux.GetDatabase().StringGet(_latency));
                }
                catch (RedisException)
                {
                    // The last value read stands until Redis answers again.
                }
            }

            return TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        }
    }

    /// <summary>The fleet's latency, as <see cref="Latency"/> without blocking a thread.</summary>
    public async Task<TimeSpan> GetLatencyAsync(CancellationToken cancellationToken = default)
    {
        if (_mux.IsConnected)
        {
            try
            {
                Remember(await _budget.RunAsync(() => _mux.GetDatabase().StringGetAsync(_latency)).ConfigureAwait(false));
            }
            catch (RedisException)
            {
                // The last value read stands until Redis answers again.
            }
        }

        return TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
    }

    public long Loads => Interlocked.Read(ref _loads);

    public long Writes => Interlocked.Read(ref _writes);

    public long SupersededWrites => Interlocked.Read(ref _superseded);

    public int Count => (int)Sync(db => db.HashLength(_products));

    public async Task<int> GetCountAsync(CancellationToken cancellationToken = default) =>
        (int)await RunAsync(db => db.HashLengthAsync(_products)).ConfigureAwait(false);

    public IReadOnlyList<string> Categories => CategoriesOf(Sync(db => db.HashValues(_products)));

    public async Task<IReadOnlyList<string>> GetCategoriesAsync(CancellationToken cancellationToken = default) =>
        CategoriesOf(await RunAsync(db => db.HashValuesAsync(_products)).ConfigureAwait(false));

    public IReadOnlyList<string> AppliedWriteIds => Sync(db => db.ListRange(_appliedLog)).Select(v => v.ToString()).ToList();

    public async Task<long> CountAppliedWritesAsync(CancellationToken cancellationToken = default) =>
        (long?)await RunAsync(db => db.StringGetAsync(_appliedCount)).ConfigureAwait(false) ?? await RunAsync(db => db.ListLengthAsync(_appliedLog)).ConfigureAwait(false);

    public void SetLatency(TimeSpan latency)
    {
        var ms = LatencyMs(latency);
        Sync(db => db.StringSet(_latency, ms));
        Interlocked.Exchange(ref _latencyTicks, TimeSpan.FromMilliseconds(ms).Ticks);
    }

    public async Task SetLatencyAsync(TimeSpan latency, CancellationToken cancellationToken = default)
    {
        var ms = LatencyMs(latency);
        await RunAsync(db => db.StringSetAsync(_latency, ms)).ConfigureAwait(false);
        Interlocked.Exchange(ref _latencyTicks, TimeSpan.FromMilliseconds(ms).Ticks);
    }

    public bool Contains(int id) => Sync(db => db.HashExists(_products, id));

    public Task<bool> ContainsAsync(int id, CancellationToken cancellationToken = default) => RunAsync(db => db.HashExistsAsync(_products, id));

    public Product? Peek(int id) => Sync(db => db.HashGet(_products, id)) is { IsNull: false } row ? Parse(id, row) : null;

    public async Task<Product?> PeekAsync(int id, CancellationToken cancellationToken = default) =>
        await RunAsync(db => db.HashGetAsync(_products, id)).ConfigureAwait(false) is { IsNull: false } row ? Parse(id, row) : null;

    public async Task<IReadOnlyList<Product?>> PeekAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await RunAsync(db => db.HashGetAsync(_products, [.. ids.Select(id => (RedisValue)id)])).ConfigureAwait(false);
        return [.. rows.Select((row, i) => row.IsNull ? null : Parse(ids[i], row))];
    }

    public async Task<Product?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        var row = await RunAsync(db => db.HashGetAsync(_products, id)).ConfigureAwait(false);
        Interlocked.Increment(ref _loads);
        return row.IsNull ? null : Parse(id, row);
    }

    public async Task<IReadOnlyList<Product>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        var rows = await RunAsync(db => db.HashGetAllAsync(_products)).ConfigureAwait(false);
        Interlocked.Increment(ref _loads);
        return rows.Select(e => Parse((int)e.Name, e.Value)).OrderBy(p => p.Id).ToList();
    }

    public async Task<Product> CreateAsync(ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        if (await RunAsync(db => db.HashLengthAsync(_products)).ConfigureAwait(false) >= _options.MaxProducts)
        {
            throw new CatalogFullException(_options.MaxProducts); // at once, without the latency of a write that will not happen
        }

        await DelayAsync(cancellationToken).ConfigureAwait(false);
        var product = ToProduct(0, input);
        var id = (long)await RunAsync(db => db.ScriptEvaluateAsync(CreateScript, [_products, _nextId], [_options.MaxProducts, Serialize(product)])).ConfigureAwait(false);
        if (id < 0)
        {
            throw new CatalogFullException(_options.MaxProducts); // a racing create took the last place
        }

        Interlocked.Increment(ref _writes);
        return product with { Id = (int)id };
    }

    public async Task<Product?> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        var product = ToProduct(id, input);
        return await WriteDirectAsync(product, RedisValue.EmptyString).ConfigureAwait(false) == 1 ? product : null;
    }

    public async Task<Product?> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stock);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stock, ProductInput.MaxStock);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // Only the stock changes: the row is replaced only if no other write changed it since it was read.
            var row = await RunAsync(db => db.HashGetAsync(_products, id)).ConfigureAwait(false);
            if (row.IsNull)
            {
                return null;
            }

            var updated = Parse(id, row) with { Stock = stock, UpdatedAt = _time.GetUtcNow() };
            var written = await WriteDirectAsync(updated, row).ConfigureAwait(false);
            if (written != 0)
            {
                return written == 1 ? updated : null;
            }
        }
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        var removed = (long)await RunAsync(db => db.ScriptEvaluateAsync(DeleteScript, [_products, _lastQueued, _directAt], [id])).ConfigureAwait(false) == 1;
        if (removed)
        {
            Interlocked.Increment(ref _writes);
        }

        return removed;
    }

    public async Task<bool> ApplyQueuedWriteAsync(string writeId, QueuedProductWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(writeId);
        ArgumentNullException.ThrowIfNull(write);
        return await ApplyBatchAsync([new QueuedWriteEntry(writeId, write)], cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<int> ApplyBatchAsync(IReadOnlyList<QueuedWriteEntry> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return 0;
        }

        await DelayAsync(cancellationToken).ConfigureAwait(false);
        var args = new List<RedisValue>((writes.Count * 5) + 1) { CatalogOptions.AppliedWriteIdsKept };
        foreach (var entry in writes)
        {
            // The row carries the time the write was accepted, so it equals what write-behind put in the cache.
            var write = entry.Write;
            var row = ToProduct(write.ProductId, write.Values) with { UpdatedAt = write.QueuedAt };
            args.AddRange([entry.WriteId, entry.Position, write.ProductId, Serialize(row), Ticks(write.QueuedAt)]);
        }

        var result = (RedisResult[])(await RunAsync(db => db.ScriptEvaluateAsync(ApplyScript, [_products, _applied, _appliedLog, _lastQueued, _directAt, _appliedCount], [.. args])).ConfigureAwait(false))!;
        var applied = (int)result[0];
        Interlocked.Add(ref _writes, applied);
        Interlocked.Add(ref _superseded, (long)result[1]);
        return applied;
    }

    private async Task<long> WriteDirectAsync(Product product, RedisValue expected)
    {
        var written = (long)await RunAsync(db => db.ScriptEvaluateAsync(
            DirectWriteScript, [_products, _lastQueued, _directAt], [product.Id, Serialize(product), Ticks(product.UpdatedAt), expected])).ConfigureAwait(false);
        if (written == 1)
        {
            Interlocked.Increment(ref _writes);
        }

        return written;
    }

    /// <summary>Pays the fleet's latency: read from Redis first, so the teacher's setting on any instance applies here.</summary>
    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        Remember(await RunAsync(db => db.StringGetAsync(_latency)).ConfigureAwait(false));
        var latency = TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Remember(RedisValue latencyMs)
    {
        if (latencyMs.TryParse(out long ms) && ms >= 0 && ms <= InMemoryProductDatabase.MaxLatencyMs)
        {
            Interlocked.Exchange(ref _latencyTicks, TimeSpan.FromMilliseconds(ms).Ticks);
        }
    }

    /// <summary>Runs a command within the app's budget (failing at once while Redis is down), the catalog seeded first.</summary>
    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call)
    {
        var db = _mux.GetDatabase();
        try
        {
            if (!_seeded)
            {
                await _budget.RunAsync(() => db.ScriptEvaluateAsync(SeedScript, [_products, _nextId, _latency], SeedArguments())).ConfigureAwait(false);
                _seeded = true;
            }

            return await _budget.RunAsync(() => call(db)).ConfigureAwait(false);
        }
        catch (RedisConnectionException)
        {
            _seeded = false; // Redis may come back empty (a restart without persistence): seed again, never over data
            throw;
        }
    }

    /// <summary>
    /// A connection came back: Redis may have restarted empty (without persistence) while no call of this instance
    /// failed, so the next call seeds again (the script never seeds over a fleet's data).
    /// </summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _seeded = false;

    private T Sync<T>(Func<IDatabase, T> call)
    {
        _budget.EnsureConnected();
        var db = _mux.GetDatabase();
        try
        {
            if (!_seeded)
            {
                db.ScriptEvaluate(SeedScript, [_products, _nextId, _latency], SeedArguments());
                _seeded = true;
            }

            return call(db);
        }
        catch (RedisConnectionException)
        {
            _seeded = false;
            throw;
        }
    }

    private static long LatencyMs(TimeSpan latency) =>
        latency >= TimeSpan.Zero && latency <= TimeSpan.FromMilliseconds(InMemoryProductDatabase.MaxLatencyMs)
            ? (long)latency.TotalMilliseconds
            : throw new LearnerInputException($"The database latency must be between 0 and {InMemoryProductDatabase.MaxLatencyMs} ms.", nameof(latency));

    private static List<string> CategoriesOf(RedisValue[] rows) =>
        rows.Select(v => Parse(0, v).Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private RedisValue[] SeedArguments()
    {
        var products = InMemoryProductDatabase.SeedProducts(_options.ProductCount, _time.GetUtcNow());
        return [_options.ProductCount, _options.DatabaseLatencyMs, .. products.SelectMany(p => new RedisValue[] { p.Id, Serialize(p) })];
    }

    private Product ToProduct(int id, ProductInput input) =>
        new(id, input.Name!.Trim(), input.Price!.Value, input.Category!.Trim(), input.Stock!.Value, _time.GetUtcNow());

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static string Serialize(Product product) => JsonSerializer.Serialize(product, CachingJsonContext.Default.Product);

    // The hash field is the row's id (a create stores its row before the id is known).
    private static Product Parse(int id, RedisValue row) =>
        JsonSerializer.Deserialize((string)row!, CachingJsonContext.Default.Product)! with { Id = id };
}
