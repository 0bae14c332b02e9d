using BlazorRedis.Core;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Metrics;

public class MetricsRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddCacheMetrics(configuration).AddEvictionLab(configuration).BuildServiceProvider();
    }

    [Theory]
    [InlineData("Metrics:WindowSeconds", "5", "Metrics:WindowSeconds")]
    [InlineData("Metrics:ReservoirSize", "0", "Metrics:ReservoirSize")]
    public void A_bad_metrics_setting_is_refused_with_its_name(string key, string value, string named)
    {
        using var services = Build(new() { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CacheMetricsOptions>>().Value);

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Caching:Eviction:MaxMemoryMegabytes", "0", "Caching:Eviction:MaxMemoryMegabytes")]
    [InlineData("Caching:Eviction:ServerPath", " ", "Caching:Eviction:ServerPath")]
    public void A_bad_eviction_setting_is_refused_with_its_name(string key, string value, string named)
    {
        using var services = Build(new() { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EvictionLabOptions>>().Value);

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_CacheMetrics_instance_feeds_the_one_aggregator()
    {
        var configuration = new ConfigurationBuilder().Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<CacheMetrics>();
        collection.AddCacheMetrics(configuration);
        using var services = collection.BuildServiceProvider();
        var feed = services.GetRequiredService<ICacheMetricsFeed>(); // in the app, the publisher creates it at start

        services.GetRequiredService<CacheMetrics>().RecordHit(TimeSpan.FromMilliseconds(1));

        Assert.Single(collection, d => d.ServiceType == typeof(CacheMetrics));
        Assert.Same(services.GetRequiredService<CacheMetricsAggregator>(), feed);
        Assert.Equal(1, feed.Totals.Hits);
    }
}
