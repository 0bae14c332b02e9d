using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.PubSub;

/// <summary>Registers the pub/sub service.</summary>
public static class PubSubServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>PubSub</c> and registers <see cref="IPubSubService"/>.</summary>
    public static IServiceCollection AddPubSub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PubSubOptions>()
            .Bind(configuration.GetSection("PubSub"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPubSubService, RedisPubSubService>();
        services.AddHostedService<PubSubGroupJanitor>();
        return services;
    }
}
