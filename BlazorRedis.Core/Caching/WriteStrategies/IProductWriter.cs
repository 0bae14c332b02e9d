using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>Writes to the catalog that keep the cache honest: invalidate what they made stale, or write it through.</summary>
public interface IProductWriter
{
    /// <summary>Inserts a product and drops the cached list.</summary>
    Task<Traced<ProductWriteResult>> CreateAsync(ProductInput input, CancellationToken cancellationToken = default);

    /// <summary>Updates the database, then deletes the product key and the list key (the next read refills them).</summary>
    Task<Traced<ProductWriteResult>> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default);

    /// <summary>Sets one product's stock, then invalidates (the load generator's write).</summary>
    Task<Traced<ProductWriteResult>> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default);

    /// <summary>Deletes a product and its cache entries.</summary>
    Task<Traced<ProductWriteResult>> DeleteAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Write-through: the database and the cache are updated in one operation (the new value is written to Redis, not deleted).</summary>
    Task<Traced<ProductWriteResult>> WriteThroughAsync(int id, ProductInput input, CancellationToken cancellationToken = default);
}
