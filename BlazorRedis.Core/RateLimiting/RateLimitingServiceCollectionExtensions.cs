using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>Registers the Redis rate limiters.</summary>
public static class RateLimitingServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>RateLimiting</c>; registers the limiter service, the <c>RateLimiter</c> factory, the naive counter and the lab.</summary>
    public static IServiceCollection AddRedisRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RateLimitingOptions>()
            .Bind(configuration.GetSection(RateLimitingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IRateLimitService, RedisRateLimitService>();
        services.AddSingleton<RedisRateLimiterFactory>();
        services.AddSingleton<NaiveFixedWindowLimiter>();
        services.AddSingleton<RateLimitLab>();
        return services;
    }
}
