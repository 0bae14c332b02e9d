using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Sessions;

/// <summary>Registers the Redis session store.</summary>
public static class SessionServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>Sessions</c> and registers <see cref="ISessionStore"/> (the HTTP API's sessions) and, keyed
    /// <see cref="RedisSessionStore.DemoArea"/>, the Sessions page's demo sessions in their own key area.
    /// </summary>
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>()
            .Bind(configuration.GetSection("Sessions"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ISessionStore, RedisSessionStore>();
        services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, static (sp, _) => new RedisSessionStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<RedisKeyspace>(),
            sp.GetRequiredService<RedisTracer>(),
            sp.GetRequiredService<IOptions<SessionOptions>>(),
            area: RedisSessionStore.DemoArea));
        return services;
    }
}
