using AngleSharp.Dom;
using BlazorRedis.Core.Bitmaps;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Geo;
using BlazorRedis.Core.HyperLogLogs;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Streams;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components.DataStructureDemos;

/// <summary>
/// A bUnit context for the bitmaps, HyperLogLog, geo and streams pages: the real Core services on the test
/// Redis, under a key prefix of this test's own.
/// </summary>
public abstract class DemoPageTestContext : MudTestContext
{
    protected DemoPageTestContext(RedisServerFixture redis)
    {
        Redis = redis;
        Keys = redis.NewKeyspace();
        Services.AddSingleton(redis.Multiplexer);
        Services.AddSingleton(Keys);
        Services.AddSingleton<RedisTracer>(redis.Tracer);
        Services.AddSingleton<KeyspaceJanitor>();
        Services.AddSingleton<ILoginBitmaps, RedisLoginBitmaps>();
        Services.AddSingleton<IUniqueTermCounter, RedisUniqueTermCounter>();
        Services.AddSingleton<ICafeFinder, RedisCafeFinder>();
        Services.AddSingleton<ISensorLog, RedisSensorLog>();
    }

    /// <summary>How long to wait for Redis-backed renders on a busy shared 2-core machine (a ceiling, not a speed claim).</summary>
    protected static TimeSpan Patience { get; } = TimeSpan.FromSeconds(60);

    protected RedisServerFixture Redis { get; }

    protected RedisKeyspace Keys { get; }

    protected LearnerKeyspace Me => Keys.ForLearner(Learner.Id);

    protected IDatabase Db => Redis.Multiplexer.GetDatabase();

    protected DemoDescriptor Descriptor(string slug) => Services.GetRequiredService<DemoCatalog>().Find(slug)!;

    /// <summary>Waits until the page's first load (a traced read) has rendered, so clicks hit live handlers.</summary>
    protected static IRenderedComponent<T> Loaded<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='trace-row']")), Patience);
        return cut;
    }

    /// <summary>The input inside a MudBlazor field marked with data-testid.</summary>
    protected static IElement InputIn(IElement marked) =>
        marked.TagName is "INPUT" or "TEXTAREA" ? marked : marked.QuerySelector("input, textarea") ?? throw new InvalidOperationException("No input under " + marked.OuterHtml);

    /// <summary>How many keys this learner has in one demo's area (SCAN, not KEYS).</summary>
    protected async Task<int> KeyCountAsync(string area)
    {
        var count = 0;
        await foreach (var _ in Redis.Multiplexer.GetServers()[0].KeysAsync(pattern: RedisKeyspace.PrefixPattern(Me.AreaPrefix(area))))
        {
            count++;
        }

        return count;
    }
}
