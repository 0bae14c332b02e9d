using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.ClusterLab;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core;

/// <summary>The one call an app makes to get every Redis lesson's services.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>Adds the connection, the keyspace, the tracer and every feature.</summary>
    public static IServiceCollection AddBlazorRedisCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddRedisConnection(configuration);
        services.AddKeyspace(configuration);
        services.AddSingleton<RedisTracer>();
        services.AddSingleton<Metrics.CacheMetrics>();
        services.AddCacheMetrics(configuration);
        services.AddEvictionLab(configuration);
        services.AddClusterLab(configuration);
        services.AddDataStructureDemos();
        services.AddSessions(configuration);
        services.AddPubSub(configuration);
        services.AddRedisRateLimiting(configuration);
        services.AddCaching(configuration);
        services.AddClasses(configuration);
        services.AddOptions<Budgets.BudgetOptions>().Bind(configuration.GetSection("Budgets")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Budgets.ActionBudget>();
        services.AddWorkbench(configuration);
        services.AddLessons(configuration);
        return services;
    }

    /// <summary>Binds and validates <c>Keyspace</c>; registers the key builder and the janitor.</summary>
    public static IServiceCollection AddKeyspace(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyspaceOptions>()
            .Bind(configuration.GetSection("Keyspace"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RedisKeyspace>();
        services.AddSingleton<KeyspaceJanitor>();
        services.AddSingleton<Classroom.LearnerKeysReset>();
        return services;
    }
}
