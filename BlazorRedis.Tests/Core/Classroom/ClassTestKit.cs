using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>A class service on the real test Redis under a fresh prefix (so tests never see each other's classes).</summary>
public static class ClassTestKit
{
    public static ClassService NewService(RedisServerFixture redis, ClassOptions? options = null, RedisKeyspace? keyspace = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        keyspace ??= redis.NewKeyspace();
        var limiter = new RedisRateLimitService(redis.Multiplexer, redis.Tracer, keyspace, Options.Create(new RateLimitingOptions()), NullLogger<RedisRateLimitService>.Instance);
        return new ClassService(redis.Multiplexer, keyspace, redis.Tracer, limiter, Options.Create(options ?? new ClassOptions()), TimeProvider.System);
    }

    /// <summary>The app's Redis rate limiter on the test Redis under a fresh prefix.</summary>
    public static RedisRateLimitService Limiter(RedisServerFixture redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        return new RedisRateLimitService(redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), Options.Create(new RateLimitingOptions()), NullLogger<RedisRateLimitService>.Instance);
    }

    /// <summary>The class channel of <paramref name="classes"/> (its pub/sub channels under a fresh prefix).</summary>
    public static ClassChannel NewChannel(RedisServerFixture redis, ClassService classes)
    {
        ArgumentNullException.ThrowIfNull(redis);
        return new ClassChannel(classes, redis.NewKeyspace(), Limiter(redis), redis.Tracer);
    }

    public static ClassChannelHub NewChannelHub(RedisServerFixture redis, ClassChannel channel) =>
        new(redis.Multiplexer, channel, NullLogger<ClassChannelHub>.Instance);

    /// <summary>Registers the leaderboard, the channel and the channel hub of <paramref name="classes"/> (the class panels use them).</summary>
    public static (ClassLeaderboard Board, ClassChannel Channel) AddClassExperiments(IServiceCollection services, RedisServerFixture redis, ClassService classes)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var channel = NewChannel(redis, classes);
        var board = new ClassLeaderboard(classes, redis.Tracer);
        services.AddSingleton(board);
        services.AddSingleton(channel);
        services.AddSingleton(NewChannelHub(redis, channel));
        return (board, channel);
    }

    public static ClassEventHub NewHub(RedisServerFixture redis, ClassService classes) =>
        new(redis.Multiplexer, classes, NullLogger<ClassEventHub>.Instance);

    /// <summary>The class stampede on the test Redis, with its own slow product database (<paramref name="latencyMs"/> per load).</summary>
    public static ClassStampede NewStampede(RedisServerFixture redis, ClassService classes, int latencyMs = 50) =>
        NewStampede(redis, classes, new InMemoryProductDatabase(10, TimeSpan.FromMilliseconds(latencyMs)));

    /// <summary>The class stampede on the test Redis over <paramref name="database"/> (a test counts its loads).</summary>
    public static ClassStampede NewStampede(RedisServerFixture redis, ClassService classes, IProductDatabase database)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var gate = new RedisGate(redis.Multiplexer, new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(5)));
        return new ClassStampede(classes, gate, database, redis.Tracer);
    }

    /// <summary>Registers the built-in course and a progress store on the test Redis (the teacher's roster shows lessons done).</summary>
    public static LessonProgressStore AddCourse(IServiceCollection services, RedisServerFixture redis, RedisKeyspace? keyspace = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var options = Options.Create(new LessonOptions { BuiltInDirectory = Path.Combine(AppContext.BaseDirectory, "Lessons") });
        var progress = new LessonProgressStore(redis.Multiplexer, keyspace ?? redis.NewKeyspace(), redis.Tracer, options);
        services.AddSingleton(progress);
        services.AddSingleton(sp => new ClassQuizReporter(sp.GetRequiredService<ClassService>(), progress));
        services.AddSingleton(_ => new LessonCatalog(options, NullLogger<LessonCatalog>.Instance));
        return progress;
    }

    /// <summary>A unique client per call, so the join limit of one test never refuses another's.</summary>
    public static string Client() => "test-" + Guid.NewGuid().ToString("N");
}
