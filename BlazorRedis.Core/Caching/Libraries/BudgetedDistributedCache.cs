using System.Buffers;
using BlazorRedis.Core.Connection;
using Microsoft.Extensions.Caching.Distributed;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// A caching library's Redis L2 held to the app's one command budget (<see cref="RedisCommandBudget"/>,
/// <c>Redis:CommandTimeoutMs</c>): while Redis is not connected every call fails at once, and a slow one fails past the
/// budget. Without it each L2 call of HybridCache or FusionCache waited out StackExchange.Redis's own 5 s timeout during
/// an outage, and a read made several of them. Both libraries take an L2 failure as a miss: an L1 hit or the database
/// still answers.
/// </summary>
internal sealed class BudgetedDistributedCache(IBufferDistributedCache inner, RedisCommandBudget budget) : IBufferDistributedCache
{
    public byte[]? Get(string key)
    {
        budget.EnsureConnected();
        return inner.Get(key);
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => budget.RunAsync(() => inner.GetAsync(key, token));

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        budget.EnsureConnected();
        return inner.TryGet(key, destination);
    }

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(destination);

        // Read into an array of our own: a call abandoned past the budget must never write into the caller's buffer later.
        var value = await GetAsync(key, token).ConfigureAwait(false);
        if (value is null)
        {
            return false;
        }

        destination.Write(value);
        return true;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        budget.EnsureConnected();
        inner.Set(key, value, options);
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync(() => inner.SetAsync(key, value, options, token));

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        budget.EnsureConnected();
        inner.Set(key, value, options);
    }

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        // Copied first: the caller may reuse the sequence's memory once this returns, even when the call is abandoned.
        var copy = value.ToArray();
        return new(RunAsync(() => inner.SetAsync(key, copy, options, token)));
    }

    public void Refresh(string key)
    {
        budget.EnsureConnected();
        inner.Refresh(key);
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => RunAsync(() => inner.RefreshAsync(key, token));

    public void Remove(string key)
    {
        budget.EnsureConnected();
        inner.Remove(key);
    }

    public Task RemoveAsync(string key, CancellationToken token = default) => RunAsync(() => inner.RemoveAsync(key, token));

    private Task<bool> RunAsync(Func<Task> call) => budget.RunAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });
}
