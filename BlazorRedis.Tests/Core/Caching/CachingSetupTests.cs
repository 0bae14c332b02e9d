using System.Diagnostics.Metrics;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Caching;

public class CachingSetupTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Catalog:DatabaseLatencyMs", "-1")]
    [InlineData("Catalog:ProductCount", "5")]
    [InlineData("Caching:DefaultTtlSeconds", "0")]
    [InlineData("Caching:WriteBehindConsumer", "bad name\r\n")]
    [InlineData("Caching:MaxLabs", "0")]
    [InlineData("Caching:LabIdleMinutes", "0")]
    [InlineData("Caching:LabWorkerIdleSeconds", "0")]
    public void A_bad_setting_is_refused_with_its_name(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddCaching(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<CatalogOptions>>().Value;
            _ = services.GetRequiredService<IOptions<CachingOptions>>().Value;
        });

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_match_the_lesson()
    {
        Assert.Equal(2000, new CatalogOptions().DatabaseLatencyMs);
        Assert.Equal(60, new CachingOptions().DefaultTtlSeconds);
        Assert.True(new InMemoryProductDatabase(new CatalogOptions().ProductCount, TimeSpan.Zero).Count >= 100);
    }

    [Fact]
    public async Task Every_read_records_hits_misses_and_database_loads_on_the_cache_meter()
    {
        await using var h = CachingHarness.Create(redis);
        var metrics = h.Services.GetRequiredService<CacheMetrics>();
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => { lock (seen) { seen[i.Name] = seen.GetValueOrDefault(i.Name) + v; } });
        listener.SetMeasurementEventCallback<double>((i, _, _, _) => { lock (seen) { seen[i.Name] = seen.GetValueOrDefault(i.Name) + 1; } });
        listener.Start();

        await h.Reader.GetAsync(1, cancellationToken: Ct);                    // miss + load
        await h.Reader.GetAsync(1, cancellationToken: Ct);                    // hit
        await h.Reader.GetAsync(1, bypassCache: true, cancellationToken: Ct); // load only

        Assert.Equal(1, seen["blazorredis.cache.hits"]);
        Assert.Equal(1, seen["blazorredis.cache.misses"]);
        Assert.Equal(2, seen["blazorredis.database.loads"]);
        Assert.Equal(1, seen["blazorredis.cache.latency"]);
        Assert.Equal(2, seen["blazorredis.database.latency"]);
    }
}
