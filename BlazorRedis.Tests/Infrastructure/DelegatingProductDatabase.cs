using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>A product database that forwards every call to another; a test double overrides only the calls it watches or breaks.</summary>
public abstract class DelegatingProductDatabase(IProductDatabase inner) : IProductDatabase
{
    public TimeSpan Latency => inner.Latency;

    public Task<TimeSpan> GetLatencyAsync(CancellationToken cancellationToken = default) => inner.GetLatencyAsync(cancellationToken);

    public long Loads => inner.Loads;

    public long Writes => inner.Writes;

    public int Count => inner.Count;

    public Task<int> GetCountAsync(CancellationToken cancellationToken = default) => inner.GetCountAsync(cancellationToken);

    public IReadOnlyList<string> Categories => inner.Categories;

    public Task<IReadOnlyList<string>> GetCategoriesAsync(CancellationToken cancellationToken = default) => inner.GetCategoriesAsync(cancellationToken);

    public IReadOnlyList<string> AppliedWriteIds => inner.AppliedWriteIds;

    public long SupersededWrites => inner.SupersededWrites;

    public Task<long> CountAppliedWritesAsync(CancellationToken cancellationToken = default) => inner.CountAppliedWritesAsync(cancellationToken);

    public void SetLatency(TimeSpan latency) => inner.SetLatency(latency);

    public Task SetLatencyAsync(TimeSpan latency, CancellationToken cancellationToken = default) => inner.SetLatencyAsync(latency, cancellationToken);

    public bool Contains(int id) => inner.Contains(id);

    public Task<bool> ContainsAsync(int id, CancellationToken cancellationToken = default) => inner.ContainsAsync(id, cancellationToken);

    public Product? Peek(int id) => inner.Peek(id);

    public Task<Product?> PeekAsync(int id, CancellationToken cancellationToken = default) => inner.PeekAsync(id, cancellationToken);

    public Task<IReadOnlyList<Product?>> PeekAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken = default) => inner.PeekAsync(ids, cancellationToken);

    public Task<Product?> GetAsync(int id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Product>> GetAllAsync(CancellationToken cancellationToken = default) => inner.GetAllAsync(cancellationToken);

    public virtual Task<Product> CreateAsync(ProductInput input, CancellationToken cancellationToken = default) => inner.CreateAsync(input, cancellationToken);

    public virtual Task<Product?> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default) => inner.UpdateAsync(id, input, cancellationToken);

    public virtual Task<Product?> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default) => inner.UpdateStockAsync(id, stock, cancellationToken);

    public virtual Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default) => inner.DeleteAsync(id, cancellationToken);

    public virtual Task<bool> ApplyQueuedWriteAsync(string writeId, QueuedProductWrite write, CancellationToken cancellationToken = default) =>
        inner.ApplyQueuedWriteAsync(writeId, write, cancellationToken);

    public virtual Task<int> ApplyBatchAsync(IReadOnlyList<QueuedWriteEntry> writes, CancellationToken cancellationToken = default) =>
        inner.ApplyBatchAsync(writes, cancellationToken);
}
