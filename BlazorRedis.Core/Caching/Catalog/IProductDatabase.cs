namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>
/// "The database" of every caching lesson: slow on purpose (<see cref="Latency"/> per call) and counting its
/// loads, so the cost of a cache miss can be seen and measured. A request or a circuit uses only the asynchronous
/// members: on the shared database (<see cref="RedisProductDatabase"/>) the synchronous ones block a thread on Redis,
/// and throw while it is down. They stay for tests and for the in-memory labs, where they cost nothing.
/// </summary>
public interface IProductDatabase
{
    /// <summary>How long each call takes now (for a request or a circuit, <see cref="GetLatencyAsync"/>: this may block on Redis).</summary>
    TimeSpan Latency { get; }

    /// <summary>How long each call takes now, read without blocking a thread.</summary>
    Task<TimeSpan> GetLatencyAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads served so far (each one paid <see cref="Latency"/>).</summary>
    long Loads { get; }

    /// <summary>Writes applied so far.</summary>
    long Writes { get; }

    /// <summary>How many products exist (for a request or a circuit, <see cref="GetCountAsync"/>).</summary>
    int Count { get; }

    /// <summary><see cref="Count"/> without blocking a thread.</summary>
    Task<int> GetCountAsync(CancellationToken cancellationToken = default);

    /// <summary>The categories in use, sorted (for a request or a circuit, <see cref="GetCategoriesAsync"/>).</summary>
    IReadOnlyList<string> Categories { get; }

    /// <summary><see cref="Categories"/> without blocking a thread.</summary>
    Task<IReadOnlyList<string>> GetCategoriesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the latency live; throws <see cref="LearnerInputException"/> outside 0–30 s (for a request or a circuit,
    /// <see cref="SetLatencyAsync"/>).
    /// </summary>
    void SetLatency(TimeSpan latency);

    /// <summary><see cref="SetLatency"/> without blocking a thread.</summary>
    Task SetLatencyAsync(TimeSpan latency, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when a product with this id exists (a primary-key check that costs no latency; for a request or a circuit,
    /// <see cref="ContainsAsync"/>).
    /// </summary>
    bool Contains(int id);

    /// <summary><see cref="Contains"/> without blocking a thread.</summary>
    Task<bool> ContainsAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Loads one product (slow), or null when it does not exist.</summary>
    Task<Product?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Loads every product (slow).</summary>
    Task<IReadOnlyList<Product>> GetAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts a product (slow) and returns it with its new id; throws <see cref="CatalogFullException"/>, writing
    /// nothing, when the catalog already holds its most (<c>Catalog:MaxProducts</c>).
    /// </summary>
    Task<Product> CreateAsync(ProductInput input, CancellationToken cancellationToken = default);

    /// <summary>Replaces a product's fields (slow); null when it does not exist.</summary>
    Task<Product?> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default);

    /// <summary>Sets one product's stock (slow); null when it does not exist.</summary>
    Task<Product?> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default);

    /// <summary>Deletes a product (slow); false when it did not exist.</summary>
    Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a write queued by write-behind, at most once per <paramref name="writeId"/>, which also orders it (a
    /// stream entry id; the worker hands a batch with both ids to <see cref="ApplyBatchAsync"/>): the id is recorded
    /// together with the change, so a replayed entry is recognised and skipped.
    /// Returns false when the write was already applied, was superseded by a newer change of the row (see
    /// <see cref="SupersededWrites"/>), or its product no longer exists.
    /// </summary>
    Task<bool> ApplyQueuedWriteAsync(string writeId, QueuedProductWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a batch of queued writes in ONE round trip (one <see cref="Latency"/>, as a real bulk update would),
    /// each at most once per write id (<see cref="QueuedWriteEntry.WriteId"/>, the same under any stream entry id), in order. Returns how many changed the database (the rest were replays, superseded or
    /// for products that no longer exist).
    /// </summary>
    Task<int> ApplyBatchAsync(IReadOnlyList<QueuedWriteEntry> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queued writes skipped because the row had already changed after they were accepted (a newer write won): each
    /// row's version is when its write was accepted (<see cref="Product.UpdatedAt"/>), and an older queued write
    /// never overwrites a newer row. Their ids are recorded as applied all the same.
    /// </summary>
    long SupersededWrites { get; }

    /// <summary>
    /// The ids of the last <see cref="CatalogOptions.AppliedWriteIdsKept"/> queued writes applied, oldest first (the
    /// "applied writes" table, which forgets the oldest). For tests and diagnostics: a request or a circuit uses
    /// <see cref="CountAppliedWritesAsync"/>.
    /// </summary>
    IReadOnlyList<string> AppliedWriteIds { get; }

    /// <summary>Queued writes recorded as applied so far (each id once: superseded ones too), not only the ids still kept.</summary>
    Task<long> CountAppliedWritesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The current row without latency and without counting a load (for showing what the database holds; for a request
    /// or a circuit, <see cref="PeekAsync(int, CancellationToken)"/>).
    /// </summary>
    Product? Peek(int id);

    /// <summary><see cref="Peek"/> without blocking a thread (null when the product does not exist).</summary>
    Task<Product?> PeekAsync(int id, CancellationToken cancellationToken = default);

    /// <summary><see cref="Peek"/> for many rows in one call, in the order of <paramref name="ids"/> (null for one that does not exist).</summary>
    Task<IReadOnlyList<Product?>> PeekAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken = default);
}
