using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Caching.Labs;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Caching.WriteStrategies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Caching;

/// <summary>Registers the caching lab (the shared catalog and every learner's own, <see cref="ICachingLabs"/>): the slow database, cache-aside reads, writes, invalidation, write-behind, stampede races, the load generator and the caching libraries lab.</summary>
public static class CachingServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Catalog</c> and <c>Caching</c>; registers the services and the write-behind worker.</summary>
    public static IServiceCollection AddCaching(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection("Catalog")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CachingOptions>().Bind(configuration.GetSection("Caching")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LibrariesOptions>().Bind(configuration.GetSection("Libraries")).ValidateDataAnnotations().ValidateOnStart();
        if (UsesSharedDatabase(configuration))
        {
            services.AddSingleton<IProductDatabase, RedisProductDatabase>();
        }
        else
        {
            services.AddSingleton<IProductDatabase, InMemoryProductDatabase>();
        }

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
        // The shared catalog is the lab of the REST API and the teacher; every learner gets a lab of their own.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CachingLabs>(sp, new CachingLab(
            null,
            sp.GetRequiredService<CacheKeys>(),
            sp.GetRequiredService<IProductDatabase>(),
            sp.GetRequiredService<IProductReader>(),
            sp.GetRequiredService<IProductWriter>(),
            sp.GetRequiredService<IProductInvalidation>(),
            sp.GetRequiredService<ICacheInspector>(),
            sp.GetRequiredService<WriteBehindService>(),
            sp.GetRequiredService<StampedeRace>(),
            sp.GetRequiredService<LoadGenerator>())));
        services.AddSingleton<ICachingLabs>(sp => sp.GetRequiredService<CachingLabs>());
        services.AddHostedService<WriteBehindWorker>();
        services.AddHostedService<PendingInvalidationWorker>();
        return services;
    }

    /// <summary>
    /// <c>ScaleOut:SharedDatabase</c>: "the database" lives in Redis (<see cref="RedisProductDatabase"/>), one for the
    /// fleet. Unset, it is on when the app is set up as a fleet (any of <c>ScaleOut:DataProtectionInRedis</c>,
    /// <c>ScaleOut:SignalRBackplane</c> or <c>ScaleOut:FleetMetrics</c> is on); off, each instance has its own in memory.
    /// </summary>
    public static bool UsesSharedDatabase(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<bool?>("ScaleOut:SharedDatabase")
            ?? (configuration.GetValue("ScaleOut:DataProtectionInRedis", false)
                || configuration.GetValue("ScaleOut:SignalRBackplane", false)
                || configuration.GetValue("ScaleOut:FleetMetrics", false));
    }
}
