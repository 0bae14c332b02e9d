using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// The product database, with a hook that runs right after each successful write: the tests use it to break Redis
/// in the gap between "the database changed" and "the cache was invalidated".
/// </summary>
public sealed class FailAfterWriteDatabase(IProductDatabase inner, Action afterWrite) : DelegatingProductDatabase(inner)
{
    public override Task<Product> CreateAsync(ProductInput input, CancellationToken cancellationToken = default) => Then(base.CreateAsync(input, cancellationToken));

    public override Task<Product?> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default) => Then(base.UpdateAsync(id, input, cancellationToken));

    public override Task<Product?> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default) => Then(base.UpdateStockAsync(id, stock, cancellationToken));

    public override Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default) => Then(base.DeleteAsync(id, cancellationToken));

    private async Task<T> Then<T>(Task<T> write)
    {
        var result = await write;
        afterWrite();
        return result;
    }
}
