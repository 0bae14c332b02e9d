using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>Registers the one shared multiplexer, the endpoint it connects to, health and status.</summary>
public static class ConnectionServiceCollectionExtensions
{
    /// <summary>Binds <c>Redis</c>, <c>ConnectionStrings:redis</c> and <c>REDIS_URL</c>; starts an embedded server when none is set.</summary>
    public static IServiceCollection AddRedisConnection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisConnectionOptions>()
            .Bind(configuration.GetSection("Redis"))
            .Configure(o =>
            {
                o.ConnectionString ??= configuration.GetConnectionString("redis");
                o.Url ??= configuration["REDIS_URL"];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisConnectionOptions>, RedisConnectionOptionsValidator>();

        services.AddSingleton(sp => RedisEndpoint.Resolve(
            sp.GetRequiredService<IOptions<RedisConnectionOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("BlazorRedis.Redis")));
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var endpoint = sp.GetRequiredService<RedisEndpoint>();
            return ConnectionMultiplexer.Connect(endpoint.CreateOptions());
        });
        services.AddSingleton(sp => new RedisCommandBudget(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<RedisConnectionOptions>>().Value.CommandTimeoutMs)));
        services.AddSingleton<RedisStatusMonitor>();
        services.AddSingleton<IRedisStatusSource>(sp => sp.GetRequiredService<RedisStatusMonitor>());
        services.AddHostedService<RedisWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisStatusMonitor>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return services;
    }

    /// <summary>Connects at start, so a missing redis-server stops the app at once instead of on the first request.</summary>
    private sealed class RedisWarmup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<IConnectionMultiplexer>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
