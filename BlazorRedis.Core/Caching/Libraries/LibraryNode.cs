using System.Collections.Concurrent;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Connection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// One simulated app node: a HybridCache and two FusionCaches (one on the Redis backplane, one without), each with
/// its own in-process L1 and Redis as L2 under <c>keyPrefix</c>. Two nodes with the same prefix share L2 (and the
/// backplane) as two app instances would, while each keeps its own L1.
/// </summary>
public sealed class LibraryNode : IAsyncDisposable
{
    private readonly ServiceProvider _hybridServices;
    private readonly FusionCache _fusion;
    private readonly FusionCache _fusionAlone;
    private readonly ConcurrentDictionary<string, CacheLayer> _fusionHits = new(StringComparer.Ordinal);
    private readonly bool _waitForBackplane;
    private readonly RedisCommandBudget? _budget;

    /// <param name="name">"A", "B" or "api".</param>
    /// <param name="mux">The connection to Redis (never closed by the node).</param>
    /// <param name="keyPrefix">Every key of the node's caches starts with it.</param>
    /// <param name="memoryDuration">How long a value stays in this node's L1.</param>
    /// <param name="redisDuration">How long a value stays in Redis.</param>
    /// <param name="waitForBackplane">
    /// Wait for the backplane's subscription when the node is built (the lab, so a change right after is heard);
    /// the API's node does not, so a Redis that is down never holds up a request.
    /// </param>
    /// <param name="budget">
    /// When set, every L2 call is held to it (<see cref="BudgetedDistributedCache"/>) and FusionCache leaves Redis alone
    /// for a few seconds after a failure, so a Redis that is down costs a read at most the budget (the API's node).
    /// </param>
    public LibraryNode(string name, IConnectionMultiplexer mux, string keyPrefix, TimeSpan memoryDuration, TimeSpan redisDuration, bool waitForBackplane = true, RedisCommandBudget? budget = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(mux);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        Name = name;
        KeyPrefix = keyPrefix;
        MemoryDuration = memoryDuration;
        RedisDuration = redisDuration;
        var shared = SharedMultiplexer.Wrap(mux);
        _budget = budget;

        HybridEntryOptions = new HybridCacheEntryOptions { Expiration = redisDuration, LocalCacheExpiration = memoryDuration };
        FusionEntryOptions = new FusionCacheEntryOptions
        {
            Duration = memoryDuration,
            DistributedCacheDuration = redisDuration,
            IsFailSafeEnabled = true,
            FailSafeMaxDuration = TimeSpan.FromHours(1),
            FailSafeThrottleDuration = TimeSpan.FromSeconds(5),
            AllowBackgroundDistributedCacheOperations = false,
            AllowBackgroundBackplaneOperations = false,
        };

        var services = new ServiceCollection();
        services.AddSingleton(L2(NewRedisCache(shared, keyPrefix + "hybrid:")));
        services.AddHybridCache(o => o.DefaultEntryOptions = HybridEntryOptions);
        _hybridServices = services.BuildServiceProvider();
        Hybrid = _hybridServices.GetRequiredService<HybridCache>();

        _waitForBackplane = waitForBackplane;
        _fusion = NewFusion(shared, FusionName(backplane: true), backplane: true);
        _fusionAlone = NewFusion(shared, FusionName(backplane: false), backplane: false);
    }

    /// <summary>"A" or "B".</summary>
    public string Name { get; }

    /// <summary>Every key the node's caches write starts with this.</summary>
    public string KeyPrefix { get; }

    /// <summary>How long a value stays in this node's L1.</summary>
    public TimeSpan MemoryDuration { get; }

    /// <summary>How long a value stays in Redis (L2).</summary>
    public TimeSpan RedisDuration { get; }

    /// <summary>The entry options of this node's HybridCache (its default, and what every product read passes): how long in Redis, how long in L1.</summary>
    public HybridCacheEntryOptions HybridEntryOptions { get; }

    /// <summary>The entry options of this node's FusionCaches (their default, and what every product read passes): L1, Redis and fail-safe durations.</summary>
    public FusionCacheEntryOptions FusionEntryOptions { get; }

    /// <summary>Microsoft's HybridCache: L1 here, L2 in Redis, no backplane.</summary>
    public HybridCache Hybrid { get; }

    /// <summary>FusionCache on the Redis backplane: a change on another node evicts this node's L1.</summary>
    public IFusionCache Fusion => _fusion;

    /// <summary>FusionCache without a backplane: this node's L1 keeps a changed value until it expires.</summary>
    public IFusionCache FusionWithoutBackplane => _fusionAlone;

    /// <summary>The cache key of a product, the same in every library.</summary>
    public static string ProductKey(int id) => $"product:{id}";

    /// <summary>The tag of a category, for invalidating every product in it at once.</summary>
    public static string CategoryTag(string category) => $"category:{category}";

    /// <summary>
    /// Reads product <paramref name="id"/> through <paramref name="library"/>: HybridCache, or FusionCache with or
    /// without the backplane (fail-safe serves the last value when <paramref name="load"/> fails). <paramref name="load"/>
    /// runs only on a miss in both layers.
    /// </summary>
    public Task<Product?> ReadAsync(CacheLibrary library, int id, bool backplane, Func<CancellationToken, Task<Product?>> load, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default) => library switch
    {
        CacheLibrary.Hybrid => ReadHybridAsync(id, load, tags, cancellationToken),
        CacheLibrary.Fusion => ReadFusionAsync(id, backplane, load, tags, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, "Our cache-aside is not one of the node's libraries."),
    };

    private async Task<Product?> ReadHybridAsync(int id, Func<CancellationToken, Task<Product?>> load, IEnumerable<string>? tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var found = await Hybrid.GetOrCreateAsync<ProductEnvelope>(
            ProductKey(id),
            async ct => new ProductEnvelope(await load(ct).ConfigureAwait(false)),
            HybridEntryOptions,
            tags,
            cancellationToken).ConfigureAwait(false);
        return found.Product;
    }

    /// <summary>
    /// Where FusionCache found product <paramref name="id"/> on this node's last read of it (from its hit events),
    /// or null when neither layer had it. An L1 hit can still send commands: FusionCache checks its tag and clear
    /// markers in Redis the first time it needs them.
    /// </summary>
    public CacheLayer? LastFusionHit(int id, bool backplane) =>
        _fusionHits.TryGetValue(FusionName(backplane) + ProductKey(id), out var layer) ? layer : null;

    private async Task<Product?> ReadFusionAsync(int id, bool backplane, Func<CancellationToken, Task<Product?>> load, IEnumerable<string>? tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var cache = backplane ? _fusion : _fusionAlone;
        _fusionHits.TryRemove(FusionName(backplane) + ProductKey(id), out _);
        var found = await cache.GetOrSetAsync<ProductEnvelope>(
            ProductKey(id),
            async (_, ct) => new ProductEnvelope(await load(ct).ConfigureAwait(false)),
            options: FusionEntryOptions,
            tags: tags,
            token: cancellationToken).ConfigureAwait(false);
        return found.Product;
    }

    public async ValueTask DisposeAsync()
    {
        _fusion.Dispose();
        _fusionAlone.Dispose();
        await _hybridServices.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The FusionCache's name: its key prefix under the node's, and the prefix of its hits.</summary>
    private static string FusionName(bool backplane) => backplane ? "fusion:" : "fusion-alone:";

    private void NoteHit(string name, string prefix, string key, CacheLayer layer)
    {
        var bare = key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;
        if (bare.StartsWith("product:", StringComparison.Ordinal))
        {
            _fusionHits[name + bare] = layer;
        }
    }

    /// <summary>The L2 a library gets: Redis, held to the budget when the node has one.</summary>
    private IDistributedCache L2(RedisCache redis) => _budget is { } budget ? new BudgetedDistributedCache(redis, budget) : redis;

    private static RedisCache NewRedisCache(IConnectionMultiplexer shared, string instanceName) =>
        new(Options.Create(new RedisCacheOptions { ConnectionMultiplexerFactory = () => Task.FromResult(shared), InstanceName = instanceName }));

    private FusionCache NewFusion(IConnectionMultiplexer shared, string name, bool backplane)
    {
        var prefix = KeyPrefix + name;
        var options = new FusionCacheOptions
        {
            CacheName = "libraries-lab",
            CacheKeyPrefix = prefix,
            DistributedCacheKeyModifierMode = CacheKeyModifierMode.Suffix, // its wire-format version goes after our prefix, not before it
            BackplaneChannelPrefix = prefix + "backplane",
            WaitForInitialBackplaneSubscribe = _waitForBackplane,
            EnableSyncEventHandlersExecution = true, // the hit events below are counted before the read returns
            DefaultEntryOptions = FusionEntryOptions.Duplicate(),
            TagsDefaultEntryOptions = new FusionCacheEntryOptions { Duration = RedisDuration, AllowBackgroundDistributedCacheOperations = false, AllowBackgroundBackplaneOperations = false },
        };
        if (_budget is not null)
        {
            // After an L2 or backplane failure FusionCache skips Redis for a while instead of failing every read again.
            options.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(RedisFailures.RetryAfterSeconds);
            options.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(RedisFailures.RetryAfterSeconds);
        }

        var fusion = new FusionCache(Options.Create(options), new MemoryCache(new MemoryCacheOptions()));
        fusion.Events.Memory.Hit += (_, e) => NoteHit(name, prefix, e.Key, CacheLayer.Memory);
        fusion.Events.Distributed.Hit += (_, e) => NoteHit(name, prefix, e.Key, CacheLayer.Redis);
        fusion.SetupDistributedCache(L2(NewRedisCache(shared, "")), new FusionCacheSystemTextJsonSerializer());
        if (backplane)
        {
            fusion.SetupBackplane(new RedisBackplane(Options.Create(new RedisBackplaneOptions { ConnectionMultiplexerFactory = () => Task.FromResult(shared) })));
        }

        return fusion;
    }
}
