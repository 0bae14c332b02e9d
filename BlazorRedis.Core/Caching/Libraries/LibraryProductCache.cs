using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// <c>GET /api/products/{id}?via=hybrid|fusion</c>: the shared catalog read through HybridCache or FusionCache (one
/// node for the whole app, keys under <c>{prefix}lib:</c>), so <c>wrk</c> can compare an L1 hit with our Redis hit.
/// </summary>
public sealed class LibraryProductCache : IAsyncDisposable
{
    private readonly IProductDatabase _database;
    private readonly LibraryNode _node;

    public LibraryProductCache(IConnectionMultiplexer mux, RedisKeyspace keyspace, IProductDatabase database, IOptions<LibrariesOptions> options, RedisCommandBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(keyspace);
        ArgumentNullException.ThrowIfNull(options);
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _node = new LibraryNode("api", mux, keyspace.Key("lib").ToString() + ":", TimeSpan.FromSeconds(options.Value.ApiMemorySeconds), TimeSpan.FromSeconds(options.Value.RedisSeconds), waitForBackplane: false, budget: budget);
    }

    /// <summary>
    /// Reads product <paramref name="id"/>'s JSON through <paramref name="library"/> (null when it does not exist);
    /// <c>Loaded</c> is true when the database was asked. The cached value is the product's JSON, as our cache-aside
    /// keeps it, so both paths answer a hit the same way (passing the JSON through) and differ only in where it was
    /// found: a string is immutable, so an L1 hit hands back the same instance with no deserializing. An id the catalog
    /// does not hold is answered null before either library is asked (the primary-key check costs no latency), so made-up
    /// ids leave no entry in memory or in Redis: caching misses would let any caller fill Redis with one key per id.
    /// </summary>
    public async Task<(string? Json, bool Loaded)> GetJsonAsync(CacheLibrary library, int id, CancellationToken cancellationToken = default)
    {
        if (!await _database.ContainsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return (null, false);
        }

        var loaded = false;
        async Task<string?> Load(CancellationToken ct)
        {
            loaded = true;
            var product = await _database.GetAsync(id, ct).ConfigureAwait(false);
            return product is null ? null : JsonSerializer.Serialize(product, CachingJsonContext.Default.Product);
        }

        var key = "json:" + LibraryNode.ProductKey(id);
        var json = library switch
        {
            CacheLibrary.Hybrid => await _node.Hybrid.GetOrCreateAsync(key, async ct => await Load(ct).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false),
            CacheLibrary.Fusion => await _node.Fusion.GetOrSetAsync<string?>(key, async (_, ct) => await Load(ct).ConfigureAwait(false), token: cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(library), library, "Only HybridCache and FusionCache read through this cache."),
        };
        return (json, loaded);
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
