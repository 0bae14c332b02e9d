using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Sessions;

/// <summary>Registers the Redis session store.</summary>
public static class SessionServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Sessions</c> and registers <see cref="ISessionStore"/>.</summary>
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>()
            .Bind(configuration.GetSection("Sessions"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ISessionStore, RedisSessionStore>();
        return services;
    }
}
