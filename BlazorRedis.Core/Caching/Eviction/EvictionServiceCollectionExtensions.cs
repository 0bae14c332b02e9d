using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>Registers the eviction lab (its sandbox starts on first use and stops with the app).</summary>
public static class EvictionServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Caching:Eviction</c>; adds one shared <see cref="IEvictionLab"/>.</summary>
    public static IServiceCollection AddEvictionLab(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EvictionLabOptions>()
            .Bind(configuration.GetSection("Caching:Eviction"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<EvictionLab>();
        services.AddSingleton<IEvictionLab>(sp => sp.GetRequiredService<EvictionLab>());
        return services;
    }
}
