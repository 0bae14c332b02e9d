using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Labs;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components.Caching;

/// <summary>
/// The shared MudTestContext plus the real caching services on the test Redis (unique prefix, fast database). Every
/// browser gets the harness's shared lab, so a test can look at the database and queue the page used; with
/// <paramref name="realLabs"/> each learner gets a lab of their own, as in the app. The libraries lab keeps a value in
/// each node's L1 for <paramref name="librariesMemorySeconds"/>. With <paramref name="sharedDatabase"/> "the database" lives
/// in Redis (<c>ScaleOut:SharedDatabase</c>), on <paramref name="mux"/> when given (a Redis a test stops).
/// </summary>
public sealed class CachingPageContext : MudTestContext
{
    public CachingPageContext(
        RedisServerFixture redis,
        int latencyMs = 10,
        CachingHarness? harness = null,
        bool realLabs = false,
        int librariesMemorySeconds = 1,
        bool sharedDatabase = false,
        IConnectionMultiplexer? mux = null)
    {
        Harness = harness ?? CachingHarness.Create(
            redis,
            latencyMs,
            mux: mux,
            settings: new Dictionary<string, string?> { ["ScaleOut:SharedDatabase"] = sharedDatabase ? "true" : "false" });
        Services.AddSingleton<ICachingLabs>(realLabs ? Harness.Labs : new SharedLabOnly(Harness.Labs.Shared));
        Services.AddSingleton(Harness.Reader);
        Services.AddSingleton(Harness.Writer);
        Services.AddSingleton(Harness.Invalidation);
        Services.AddSingleton(Harness.Inspector);
        Services.AddSingleton(Harness.CacheKeys);
        Services.AddSingleton(Harness.Database);
        Services.AddSingleton(Harness.WriteBehind);
        Services.AddSingleton(Harness.Stampede);
        Services.AddSingleton(Harness.Load);
        Services.AddSingleton(TimeProvider.System);
        var libraries = Options.Create(new LibrariesOptions { MemorySeconds = librariesMemorySeconds, DatabaseLatencyMs = 20 });
        Services.AddSingleton(new LibrariesLabFactory(redis.Multiplexer, Harness.Keyspace, libraries));
        Services.AddSingleton(libraries);
        Status.Publish(FakeStatusSource.Connected());
    }

    public CachingHarness Harness { get; }

    public IProductDatabase Database => Harness.Database;

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await Harness.DisposeAsync();
    }
}
