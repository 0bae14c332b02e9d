using System.Globalization;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>The in-memory catalog: a dictionary behind a configurable delay.</summary>
public sealed class InMemoryProductDatabase : IProductDatabase
{
    /// <summary>The slowest latency the learner may choose.</summary>
    public const int MaxLatencyMs = 30_000;

    private static readonly string[] CategoryNames = ["books", "electronics", "garden", "kitchen", "sports", "toys"];

    /// <summary>The categories every new catalog is seeded with (products are spread over them in turn).</summary>
    public static IReadOnlyList<string> SeedCategories => CategoryNames;
    private static readonly string[] Adjectives = ["Classic", "Deluxe", "Compact", "Everyday", "Premium", "Family", "Travel", "Pocket", "Signature", "Bestselling"];

    /// <summary>What each category sells, so a generated product's name fits its category (a "Drill" is no toy).</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> NounsByCategory = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["books"] = ["Cookbook", "Atlas", "Novel", "Field Guide", "Biography", "Poetry Collection"],
        ["electronics"] = ["Speaker", "Headphones", "Charger", "Smartwatch", "Keyboard", "Webcam"],
        ["garden"] = ["Planter", "Hose", "Trowel", "Bird Feeder", "Rake", "Seed Tray"],
        ["kitchen"] = ["Kettle", "Blender", "Toaster", "Chef Knife", "Skillet", "Coffee Grinder"],
        ["sports"] = ["Racket", "Yoga Mat", "Football", "Tent", "Water Bottle", "Backpack"],
        ["toys"] = ["Puzzle", "Robot Kit", "Kite", "Building Blocks", "Plush Bear", "Toy Train"],
    };

    private readonly Dictionary<int, Product> _rows = [];
    // The applied-writes table: the newest AppliedWriteIdsKept write ids, as a set (is it applied?) and in order (which to forget).
    private readonly HashSet<string> _appliedIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _appliedLog = new();
    private long _appliedCount;

    // Per product, the entry id of the last queued write applied, while no direct write changed the row since.
    private readonly Dictionary<int, string> _lastQueuedId = [];

    // Per product, when the last direct write (update, stock) changed the row, while no queued write applied since.
    private readonly Dictionary<int, DateTimeOffset> _directWriteAt = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private long _latencyTicks;
    private long _loads;
    private long _writes;
    private long _queuedWriteCalls;
    private long _superseded;
    private int _nextId;

    public InMemoryProductDatabase(IOptions<CatalogOptions> options, TimeProvider? time = null)
        : this(options?.Value.ProductCount ?? throw new ArgumentNullException(nameof(options)), TimeSpan.FromMilliseconds(options.Value.DatabaseLatencyMs), time, options.Value.MaxProducts)
    {
    }

    /// <summary>
    /// A catalog of <paramref name="productCount"/> products that holds at most <paramref name="maxProducts"/>
    /// (default <see cref="CatalogOptions.DefaultMaxProducts"/>, or <paramref name="productCount"/> when that is more).
    /// </summary>
    public InMemoryProductDatabase(int productCount, TimeSpan latency, TimeProvider? time = null, int? maxProducts = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(productCount);
        MaxProducts = maxProducts ?? Math.Max(productCount, CatalogOptions.DefaultMaxProducts);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxProducts, productCount, nameof(maxProducts));
        _time = time ?? TimeProvider.System;
        SetLatency(latency);
        foreach (var product in SeedProducts(productCount, _time.GetUtcNow()))
        {
            _rows[product.Id] = product;
        }

        _nextId = productCount;
    }

    /// <summary>The catalog every database starts with: the same <paramref name="productCount"/> products on every start.</summary>
    internal static IEnumerable<Product> SeedProducts(int productCount, DateTimeOffset now)
    {
        var random = new Random(42);
        for (var id = 1; id <= productCount; id++)
        {
            var category = CategoryNames[(id - 1) % CategoryNames.Length];
            var nouns = NounsByCategory[category];
            var name = $"{Adjectives[random.Next(Adjectives.Length)]} {nouns[random.Next(nouns.Length)]} {id}";
            var price = Math.Round((decimal)(random.NextDouble() * 495 + 5), 2);
            yield return new Product(id, name, price, category, random.Next(0, 500), now);
        }
    }

    public TimeSpan Latency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    public Task<TimeSpan> GetLatencyAsync(CancellationToken cancellationToken = default) => Task.FromResult(Latency);

    /// <summary>The most products the catalog may hold: <see cref="CreateAsync"/> refuses to go past it.</summary>
    public int MaxProducts { get; }

    public long Loads => Interlocked.Read(ref _loads);

    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Round trips spent on queued writes (<see cref="ApplyQueuedWriteAsync"/> and <see cref="ApplyBatchAsync"/> calls).</summary>
    public long QueuedWriteRoundTrips => Interlocked.Read(ref _queuedWriteCalls);

    public long SupersededWrites => Interlocked.Read(ref _superseded);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rows.Count;
            }
        }
    }

    public Task<int> GetCountAsync(CancellationToken cancellationToken = default) => Task.FromResult(Count);

    public IReadOnlyList<string> Categories
    {
        get
        {
            lock (_lock)
            {
                return _rows.Values.Select(p => p.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    public Task<IReadOnlyList<string>> GetCategoriesAsync(CancellationToken cancellationToken = default) => Task.FromResult(Categories);

    public IReadOnlyList<string> AppliedWriteIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _appliedLog];
            }
        }
    }

    public Task<long> CountAppliedWritesAsync(CancellationToken cancellationToken = default) => Task.FromResult(Interlocked.Read(ref _appliedCount));

    /// <summary>True when the queued write with this id has been applied (a cheap check, unlike copying <see cref="AppliedWriteIds"/>).</summary>
    public bool AppliedIdsContains(string writeId)
    {
        lock (_lock)
        {
            return _appliedIds.Contains(writeId);
        }
    }

    public void SetLatency(TimeSpan latency)
    {
        if (latency < TimeSpan.Zero || latency > TimeSpan.FromMilliseconds(MaxLatencyMs))
        {
            throw new LearnerInputException($"The database latency must be between 0 and {MaxLatencyMs} ms.", nameof(latency));
        }

        Interlocked.Exchange(ref _latencyTicks, latency.Ticks);
    }

    public Task SetLatencyAsync(TimeSpan latency, CancellationToken cancellationToken = default)
    {
        SetLatency(latency);
        return Task.CompletedTask;
    }

    public bool Contains(int id)
    {
        lock (_lock)
        {
            return _rows.ContainsKey(id);
        }
    }

    public Task<bool> ContainsAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(Contains(id));

    public Product? Peek(int id)
    {
        lock (_lock)
        {
            return _rows.GetValueOrDefault(id);
        }
    }

    public Task<Product?> PeekAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(Peek(id));

    public Task<IReadOnlyList<Product?>> PeekAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Product?>>([.. ids.Select(_rows.GetValueOrDefault)]);
        }
    }

    public async Task<Product?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _loads);
        return Peek(id);
    }

    public async Task<IReadOnlyList<Product>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _loads);
        lock (_lock)
        {
            return _rows.Values.OrderBy(p => p.Id).ToList();
        }
    }

    public async Task<Product> CreateAsync(ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        EnsureRoom(); // refused at once, without the latency of a write that will not happen
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            EnsureRoomLocked(); // again in the lock: creates racing for the last place cannot both take it
            var product = ToProduct(++_nextId, input);
            _rows[product.Id] = product;
            Interlocked.Increment(ref _writes);
            return product;
        }
    }

    public async Task<Product?> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return UpdateLocked(id, input);
        }
    }

    public async Task<Product?> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stock);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stock, ProductInput.MaxStock);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (!_rows.TryGetValue(id, out var row))
            {
                return null;
            }

            var updated = row with { Stock = stock, UpdatedAt = _time.GetUtcNow() };
            _rows[id] = updated;
            _lastQueuedId.Remove(id);
            _directWriteAt[id] = updated.UpdatedAt;
            Interlocked.Increment(ref _writes);
            return updated;
        }
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var removed = _rows.Remove(id);
            _lastQueuedId.Remove(id);
            _directWriteAt.Remove(id);
            if (removed)
            {
                Interlocked.Increment(ref _writes);
            }

            return removed;
        }
    }

    public async Task<bool> ApplyQueuedWriteAsync(string writeId, QueuedProductWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(writeId);
        ArgumentNullException.ThrowIfNull(write);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _queuedWriteCalls);
        lock (_lock)
        {
            return ApplyLocked(new QueuedWriteEntry(writeId, write));
        }
    }

    public async Task<int> ApplyBatchAsync(IReadOnlyList<QueuedWriteEntry> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return 0;
        }

        await DelayAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _queuedWriteCalls);
        lock (_lock)
        {
            // The whole batch is one transaction: every write and the record of its id change together.
            var applied = 0;
            foreach (var entry in writes)
            {
                if (ApplyLocked(entry))
                {
                    applied++;
                }
            }

            return applied;
        }
    }

    private bool ApplyLocked(QueuedWriteEntry entry)
    {
        // The write and the record of its id change together, like one transaction in a real database.
        var write = entry.Write;
        if (!_appliedIds.Add(entry.WriteId))
        {
            return false;
        }

        _appliedLog.Enqueue(entry.WriteId);
        Interlocked.Increment(ref _appliedCount);
        while (_appliedLog.Count > CatalogOptions.AppliedWriteIdsKept)
        {
            _appliedIds.Remove(_appliedLog.Dequeue());
        }

        if (!_rows.ContainsKey(write.ProductId))
        {
            return false;
        }

        // An older write must never overwrite a newer one. Queued writes are ordered by their entry ids (the order
        // Redis accepted them, which is the order they reached the cache); a queued write against a direct write by
        // the time each was accepted (the direct write's UpdatedAt; a queued write's QueuedAt). A row as seeded has
        // no version yet: the catalog starts with the app, after writes a previous run may have queued.
        var superseded = _lastQueuedId.TryGetValue(write.ProductId, out var lastQueued)
            ? CompareEntryIds(entry.Position, lastQueued) < 0
            : _directWriteAt.TryGetValue(write.ProductId, out var directAt) && write.QueuedAt < directAt;
        if (superseded)
        {
            Interlocked.Increment(ref _superseded);
            return false;
        }

        // The row carries the time the write was accepted, so it equals what write-behind put in the cache.
        _rows[write.ProductId] = ToProduct(write.ProductId, write.Values) with { UpdatedAt = write.QueuedAt };
        _lastQueuedId[write.ProductId] = entry.Position;
        _directWriteAt.Remove(write.ProductId);
        Interlocked.Increment(ref _writes);
        return true;
    }

    /// <summary>Stream entry ids (<c>ms-seq</c>) in the order Redis gave them out; an id that is not one sorts first.</summary>
    private static int CompareEntryIds(string a, string b)
    {
        static (long Ms, long Seq) Split(string id)
        {
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            var ms = dash < 0 ? id : id[..dash];
            var seq = dash < 0 ? "0" : id[(dash + 1)..];
            return long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var q) ? (m, q) : (-1, -1);
        }

        return Split(a).CompareTo(Split(b));
    }

    private void EnsureRoom()
    {
        lock (_lock)
        {
            EnsureRoomLocked();
        }
    }

    private void EnsureRoomLocked()
    {
        if (_rows.Count >= MaxProducts)
        {
            throw new CatalogFullException(MaxProducts);
        }
    }

    private Product? UpdateLocked(int id, ProductInput input)
    {
        if (!_rows.ContainsKey(id))
        {
            return null;
        }

        var product = ToProduct(id, input);
        _rows[id] = product;
        _lastQueuedId.Remove(id);
        _directWriteAt[id] = product.UpdatedAt;
        Interlocked.Increment(ref _writes);
        return product;
    }

    private Product ToProduct(int id, ProductInput input) =>
        new(id, input.Name!.Trim(), input.Price!.Value, input.Category!.Trim(), input.Stock!.Value, _time.GetUtcNow());

    private Task DelayAsync(CancellationToken cancellationToken)
    {
        var latency = Latency;
        return latency <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(latency, _time, cancellationToken);
    }
}
