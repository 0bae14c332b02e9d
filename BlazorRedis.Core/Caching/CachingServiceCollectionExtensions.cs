using BlazorRedis.Core.Caching.Stampede;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Caching;

/// <summary>Registers the caching lab: the slow database, the product cache, write-behind, stampede races and the load generator.</summary>
public static class CachingServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Catalog</c> and <c>Caching</c>; registers the services and the write-behind worker.</summary>
    public static IServiceCollection AddCaching(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection("Catalog")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CachingOptions>().Bind(configuration.GetSection("Caching")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IProductDatabase, InMemoryProductDatabase>();
        services.AddSingleton<CacheKeys>();
        services.AddSingleton<RedisGate>();
        services.AddSingleton<PendingInvalidations>();
        services.AddSingleton<IProductCache, ProductCache>();
        services.AddSingleton<WriteBehindService>();
        services.AddSingleton<StampedeRace>();
        services.AddSingleton<LoadGenerator>();
        services.AddHostedService<WriteBehindWorker>();
        services.AddHostedService<PendingInvalidationWorker>();
        return services;
    }
}
