using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BlazorRedis.Core.Metrics;

/// <summary>Registers the cache instruments, the per-second aggregator and its publisher.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Metrics</c>; adds one <see cref="CacheMetrics"/>, one aggregator and the once-a-second publisher.</summary>
    public static IServiceCollection AddCacheMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CacheMetricsOptions>()
            .Bind(configuration.GetSection("Metrics"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CacheMetrics>();
        services.TryAddSingleton<CacheMetricsAggregator>();
        services.TryAddSingleton<ICacheMetricsFeed>(sp => sp.GetRequiredService<CacheMetricsAggregator>());
        services.AddHostedService<CacheMetricsPublisher>();
        services.AddOptions<FleetMetricsOptions>()
            .Bind(configuration.GetSection("ScaleOut"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<FleetMetricsPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetMetricsPublisher>());
        return services;
    }
}
