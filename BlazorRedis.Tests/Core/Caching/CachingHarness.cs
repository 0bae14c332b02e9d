using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Caching.Labs;
using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Caching;

/// <summary>
/// The caching services on the shared test Redis under a unique prefix, built the way the app builds them
/// (AddCaching), with a small database latency. A test may pass its own database to share it across "restarts".
/// </summary>
public sealed class CachingHarness : IAsyncDisposable
{
    private CachingHarness(ServiceProvider services, RedisKeyspace keyspace)
    {
        Services = services;
        Keyspace = keyspace;
    }

    public ServiceProvider Services { get; }

    public RedisKeyspace Keyspace { get; }

    public IProductReader Reader => Services.GetRequiredService<IProductReader>();

    public IProductWriter Writer => Services.GetRequiredService<IProductWriter>();

    public IProductInvalidation Invalidation => Services.GetRequiredService<IProductInvalidation>();

    public ICacheInspector Inspector => Services.GetRequiredService<ICacheInspector>();

    public IProductDatabase Database => Services.GetRequiredService<IProductDatabase>();

    public WriteBehindService WriteBehind => Services.GetRequiredService<WriteBehindService>();

    public StampedeRace Stampede => Services.GetRequiredService<StampedeRace>();

    public LoadGenerator Load => Services.GetRequiredService<LoadGenerator>();

    public CacheKeys CacheKeys => Services.GetRequiredService<CacheKeys>();

    /// <summary>The real labs: the shared one is made of the services above; each learner's is made on first use.</summary>
    public CachingLabs Labs => Services.GetRequiredService<CachingLabs>();

    public PendingInvalidations Pending => Services.GetRequiredService<PendingInvalidations>();

    public IDatabase Db => Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    public static CachingHarness Create(
        RedisServerFixture redis,
        int latencyMs = 20,
        int ttlSeconds = 60,
        RedisKeyspace? keyspace = null,
        IProductDatabase? database = null,
        IConnectionMultiplexer? mux = null,
        RedisTracer? tracer = null,
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null)
    {
        keyspace ??= redis.NewKeyspace();
        var values = new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Caching:DefaultTtlSeconds"] = ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Caching:WriteBehindPollMs"] = "20",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(mux ?? redis.Multiplexer);
        services.AddSingleton(tracer ?? redis.Tracer);
        services.AddSingleton(keyspace);
        services.AddSingleton(new CacheMetrics());
        services.AddSingleton(sp => new RedisCommandBudget(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            TimeSpan.FromMilliseconds(configuration.GetValue("Redis:CommandTimeoutMs", RedisCommandBudget.DefaultMilliseconds))));
        services.AddCaching(configuration);
        if (database is not null)
        {
            services.AddSingleton(database);
        }

        return new CachingHarness(services.BuildServiceProvider(), keyspace);
    }

    /// <summary>The write-behind worker as the host would run it.</summary>
    public IHostedService Worker => Services.GetServices<IHostedService>().OfType<WriteBehindWorker>().Single();

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
