using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// The product database, with a hook that runs right after each successful write: the tests use it to break Redis
/// in the gap between "the database changed" and "the cache was invalidated".
/// </summary>
public sealed class FailAfterWriteDatabase(IProductDatabase inner, Action afterWrite) : IProductDatabase
{
    public TimeSpan Latency => inner.Latency;

    public long Loads => inner.Loads;

    public long Writes => inner.Writes;

    public int Count => inner.Count;

    public IReadOnlyList<string> Categories => inner.Categories;

    public IReadOnlyList<string> AppliedWriteIds => inner.AppliedWriteIds;

    public void SetLatency(TimeSpan latency) => inner.SetLatency(latency);

    public bool Contains(int id) => inner.Contains(id);

    public Product? Peek(int id) => inner.Peek(id);

    public Task<Product?> GetAsync(int id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Product>> GetAllAsync(CancellationToken cancellationToken = default) => inner.GetAllAsync(cancellationToken);

    public Task<Product> CreateAsync(ProductInput input, CancellationToken cancellationToken = default) => Then(inner.CreateAsync(input, cancellationToken));

    public Task<Product?> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default) => Then(inner.UpdateAsync(id, input, cancellationToken));

    public Task<Product?> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default) => Then(inner.UpdateStockAsync(id, stock, cancellationToken));

    public Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default) => Then(inner.DeleteAsync(id, cancellationToken));

    public Task<bool> ApplyQueuedWriteAsync(string writeId, QueuedProductWrite write, CancellationToken cancellationToken = default) =>
        inner.ApplyQueuedWriteAsync(writeId, write, cancellationToken);

    public Task<int> ApplyBatchAsync(IReadOnlyList<QueuedWriteEntry> writes, CancellationToken cancellationToken = default) =>
        inner.ApplyBatchAsync(writes, cancellationToken);

    private async Task<T> Then<T>(Task<T> write)
    {
        var result = await write;
        afterWrite();
        return result;
    }
}
