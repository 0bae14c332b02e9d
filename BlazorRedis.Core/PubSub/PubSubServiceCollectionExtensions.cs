using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.PubSub;

/// <summary>Registers the pub/sub service.</summary>
public static class PubSubServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>PubSub</c> and registers <see cref="IPubSubService"/> and the <see cref="PublishLimit"/> the page and the API share.</summary>
    public static IServiceCollection AddPubSub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PubSubOptions>()
            .Bind(configuration.GetSection("PubSub"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPubSubService, RedisPubSubService>();
        services.AddSingleton<PublishLimit>();
        services.AddHostedService<PubSubGroupJanitor>();
        return services;
    }
}
