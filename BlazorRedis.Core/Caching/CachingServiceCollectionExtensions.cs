using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Caching.WriteStrategies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Caching;

/// <summary>Registers the caching lab: the slow database, cache-aside reads, writes, invalidation, write-behind, stampede races, the load generator and the caching libraries lab.</summary>
public static class CachingServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Catalog</c> and <c>Caching</c>; registers the services and the write-behind worker.</summary>
    public static IServiceCollection AddCaching(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection("Catalog")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CachingOptions>().Bind(configuration.GetSection("Caching")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LibrariesOptions>().Bind(configuration.GetSection("Libraries")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IProductDatabase, InMemoryProductDatabase>();
        services.AddSingleton<CacheKeys>();
        services.AddSingleton<RedisGate>();
        services.AddSingleton<PendingInvalidations>();
        services.AddSingleton<IProductReader, ProductReader>();
        services.AddSingleton<IProductWriter, ProductWriter>();
        services.AddSingleton<IProductInvalidation, ProductInvalidation>();
        services.AddSingleton<ICacheInspector, CacheInspector>();
        services.AddSingleton<WriteBehindService>();
        services.AddSingleton<StampedeRace>();
        services.AddSingleton<LoadGenerator>();
        services.AddSingleton<LibrariesLabFactory>();
        services.AddSingleton<LibraryProductCache>();
        services.AddHostedService<WriteBehindWorker>();
        services.AddHostedService<PendingInvalidationWorker>();
        return services;
    }
}
