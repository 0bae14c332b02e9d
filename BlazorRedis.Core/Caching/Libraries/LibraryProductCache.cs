using BlazorRedis.Core.Caching.Catalog;
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

    public LibraryProductCache(IConnectionMultiplexer mux, RedisKeyspace keyspace, IProductDatabase database, IOptions<LibrariesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(keyspace);
        ArgumentNullException.ThrowIfNull(options);
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _node = new LibraryNode("api", mux, keyspace.Key("lib").ToString() + ":", TimeSpan.FromSeconds(options.Value.ApiMemorySeconds), TimeSpan.FromSeconds(options.Value.RedisSeconds), waitForBackplane: false);
    }

    /// <summary>Reads product <paramref name="id"/> through <paramref name="library"/>; <c>Loaded</c> is true when the database was asked.</summary>
    public async Task<(Product? Product, bool Loaded)> GetAsync(CacheLibrary library, int id, CancellationToken cancellationToken = default)
    {
        var loaded = false;
        Task<Product?> Load(CancellationToken ct)
        {
            loaded = true;
            return _database.GetAsync(id, ct);
        }

        var product = library switch
        {
            CacheLibrary.Hybrid => await _node.ReadHybridAsync(id, Load, cancellationToken: cancellationToken).ConfigureAwait(false),
            CacheLibrary.Fusion => await _node.ReadFusionAsync(id, backplane: true, Load, cancellationToken: cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(library), library, "Only HybridCache and FusionCache read through this cache."),
        };
        return (product, loaded);
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
