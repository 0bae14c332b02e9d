using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

public class CacheStatsApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_report_the_hits_misses_and_loads_recorded_through_CacheMetrics()
    {
        using var client = await app.Factory.CreateTeacherClientAsync(Ct);
        var metrics = app.Factory.Services.GetRequiredService<CacheMetrics>();
        (await client.PostAsync("/api/cache/stats/reset", null, Ct)).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            metrics.RecordHit(TimeSpan.FromMilliseconds(0.5));
        }

        metrics.RecordMiss();
        metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(30));

        using var response = await client.GetAsync("/api/cache/stats", Ct);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, json.GetProperty("hits").GetInt64());
        Assert.Equal(1, json.GetProperty("misses").GetInt64());
        Assert.Equal(0.75, json.GetProperty("hitRate").GetDouble());
        Assert.Equal(1, json.GetProperty("databaseLoads").GetInt64());
    }

    [Fact]
    public async Task One_instance_by_default_the_fleet_is_itself_alone_no_fleet_key_and_no_signalr_backplane()
    {
        using var client = app.Factory.CreateHttpClient();
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct); // at least one second published

        var json = await client.GetFromJsonAsync<JsonElement>("/api/cache/stats", Ct);

        var self = json.GetProperty("instance").GetString();
        Assert.False(string.IsNullOrEmpty(self));
        var fleet = json.GetProperty("fleet");
        Assert.Equal(1, fleet.GetProperty("count").GetInt32());
        Assert.Equal(self, Assert.Single(fleet.GetProperty("instances").EnumerateArray()).GetProperty("instance").GetString());
        Assert.Equal("all", fleet.GetProperty("sum").GetProperty("instance").GetString());
        var redis = app.Factory.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        Assert.False(await redis.KeyExistsAsync(app.Factory.Prefix + "metrics:fleet"));
        Assert.IsType<Microsoft.AspNetCore.SignalR.DefaultHubLifetimeManager<BlazorRedis.App.Hubs.MetricsHub>>(
            app.Factory.Services.GetRequiredService<Microsoft.AspNetCore.SignalR.HubLifetimeManager<BlazorRedis.App.Hubs.MetricsHub>>());
    }

    [Fact]
    public async Task Reset_starts_the_totals_from_zero()
    {
        using var client = await app.Factory.CreateTeacherClientAsync(Ct);
        var metrics = app.Factory.Services.GetRequiredService<CacheMetrics>();
        metrics.RecordHit(TimeSpan.FromMilliseconds(0.5));
        metrics.RecordMiss();

        using var reset = await client.PostAsync("/api/cache/stats/reset", null, Ct);
        var afterReset = await reset.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var stats = await client.GetFromJsonAsync<JsonElement>("/api/cache/stats", Ct);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(0, afterReset.GetProperty("hits").GetInt64());
        Assert.Equal(0, stats.GetProperty("hits").GetInt64());
        Assert.Equal(0, stats.GetProperty("misses").GetInt64());
        Assert.Equal(0, stats.GetProperty("hitRate").GetDouble());
        Assert.Equal(0, stats.GetProperty("databaseLoads").GetInt64());
    }

    [Fact]
    public async Task The_app_has_one_CacheMetrics_and_the_feed_listens_to_it()
    {
        var services = app.Factory.Services;
        var feed = services.GetRequiredService<ICacheMetricsFeed>();
        Assert.Same(services.GetRequiredService<CacheMetrics>(), services.GetRequiredService<CacheMetrics>());
        Assert.Same(services.GetRequiredService<CacheMetricsAggregator>(), feed);
        Assert.Single(services.GetServices<CacheMetrics>());

        var before = feed.Totals.Misses;
        services.GetRequiredService<CacheMetrics>().RecordMiss();
        Assert.Equal(before + 1, feed.Totals.Misses);
        await Task.CompletedTask;
    }
}
