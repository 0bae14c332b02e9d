using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>Redis that is down for the whole test: a multiplexer to a loopback port nobody listens on, failing fast.</summary>
public static class UnreachableRedis
{
    public static async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{EmbeddedRedisServer.FreeLoopbackPort()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.AsyncTimeout = 300;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>
    /// Registers a course progress store on <paramref name="dead"/>: a lab on a Redis that answers still runs, but
    /// saving its result for the lesson's LAB check fails.
    /// </summary>
    public static LessonProgressStore AddCourse(IServiceCollection services, IConnectionMultiplexer dead)
    {
        var progress = new LessonProgressStore(dead, new RedisKeyspace($"brtest:{Guid.NewGuid():N}:"), new RedisTracer(dead), Options.Create(new LessonOptions()));
        services.AddSingleton(progress);
        return progress;
    }
}
