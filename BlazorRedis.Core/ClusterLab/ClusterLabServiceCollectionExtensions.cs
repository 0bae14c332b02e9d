using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.ClusterLab;

/// <summary>Registers the cluster lab (its sandbox cluster starts on first use and stops with the app).</summary>
public static class ClusterLabServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>ClusterLab</c>; adds one shared sandbox and lab.</summary>
    public static IServiceCollection AddClusterLab(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ClusterLabOptions>()
            .Bind(configuration.GetSection(ClusterLabOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ClusterSandbox>();
        services.AddSingleton<ClusterLab>();
        return services;
    }
}
