using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.DataStructures;

/// <summary>The demos as Core registers them: one descriptor and one <see cref="IDataStructureDemo"/> per demo.</summary>
public class DemoRegistryTests(RedisServerFixture redis)
{
    private ServiceProvider Provider(RedisKeyspace keys) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
        .AddSingleton(TimeProvider.System)
        .AddSingleton(redis.Multiplexer)
        .AddSingleton(keys)
        .AddSingleton<RedisTracer>(redis.Tracer)
        .AddSingleton<KeyspaceJanitor>()
        .AddDataStructureDemos()
        .BuildServiceProvider();

    [Fact]
    public void Every_registered_descriptor_has_one_demo_service_and_every_service_a_descriptor()
    {
        using var provider = Provider(redis.NewKeyspace());

        var slugs = provider.GetServices<IDataStructureDemo>().Select(d => d.Slug).Order(StringComparer.Ordinal);
        var described = provider.GetRequiredService<DemoCatalog>().All.Select(d => d.Slug).Order(StringComparer.Ordinal);

        Assert.NotEmpty(described);
        Assert.Equal(described, slugs);
    }

    [Fact]
    public async Task Every_registered_demo_resets_this_learners_keys_of_its_own_area_only()
    {
        var keys = redis.NewKeyspace();
        using var provider = Provider(keys);
        var (me, other) = (LearnerId.New(), LearnerId.New());
        var db = redis.Multiplexer.GetDatabase();
        var demos = provider.GetServices<IDataStructureDemo>().ToList();
        foreach (var demo in demos)
        {
            await db.StringSetAsync(keys.ForLearner(me).Key(demo.Slug, "probe"), "x");
            await db.StringSetAsync(keys.ForLearner(other).Key(demo.Slug, "probe"), "x");
        }

        foreach (var demo in demos)
        {
            var reset = await demo.ResetAsync(me, TestContext.Current.CancellationToken);

            Assert.Equal(1, reset.Value);
            Assert.False(await db.KeyExistsAsync(keys.ForLearner(me).Key(demo.Slug, "probe")));
            Assert.True(await db.KeyExistsAsync(keys.ForLearner(other).Key(demo.Slug, "probe")));
        }
    }

    [Fact]
    public async Task A_reset_whose_page_already_closed_sends_nothing()
    {
        var keys = redis.NewKeyspace();
        using var provider = Provider(keys);
        var me = LearnerId.New();
        var db = redis.Multiplexer.GetDatabase();

        foreach (var demo in provider.GetServices<IDataStructureDemo>())
        {
            RedisKey key = keys.ForLearner(me).Key(demo.Slug, "probe");
            await db.StringSetAsync(key, "x");

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => demo.ResetAsync(me, new CancellationToken(canceled: true)));
            Assert.True(await db.KeyExistsAsync(key));
        }
    }
}
