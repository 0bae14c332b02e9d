using BlazorRedis.App.Classroom;
using BlazorRedis.Core.Metrics;

namespace BlazorRedis.App.Api;

/// <summary>The cache's cumulative counts, as the source material's <c>/cache/stats</c> endpoint has them.</summary>
public static class CacheStatsApi
{
    /// <summary>
    /// The JSON shape: <c>{ "hits", "misses", "hitRate", "databaseLoads", "since" }</c> of this instance (hitRate is 0-1),
    /// <c>"instance"</c>: its name, and <c>"fleet"</c>: every live instance's last second and totals with their sum
    /// (this instance alone unless <c>ScaleOut:FleetMetrics</c> is on).
    /// </summary>
    public sealed record CacheStatsResponse(long Hits, long Misses, double HitRate, long DatabaseLoads, DateTimeOffset Since, string Instance, FleetStatsResponse Fleet)
    {
        public static CacheStatsResponse From(CacheTotals totals, FleetMetricsPublisher fleet)
        {
            var latest = fleet.Latest;
            return new(totals.Hits, totals.Misses, totals.HitRate, totals.DatabaseLoads, totals.Since, fleet.Self, new(latest.Instances.Count, latest.Instances, latest.Sum));
        }
    }

    /// <summary>The fleet: how many instances published within <c>ScaleOut:FleetAliveSeconds</c>, each one, and the sum (instance <c>all</c>).</summary>
    public sealed record FleetStatsResponse(int Count, IReadOnlyList<InstanceMetrics> Instances, InstanceMetrics Sum);

    /// <summary><c>GET /api/cache/stats</c> and <c>POST /api/cache/stats/reset</c>.</summary>
    public static IEndpointRouteBuilder MapCacheStatsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/cache/stats").WithTags("Cache statistics").AddEndpointFilter<RedisFailureFilter>();
        group.MapGet("/", (ICacheMetricsFeed feed, FleetMetricsPublisher fleet) => TypedResults.Ok(CacheStatsResponse.From(feed.Totals, fleet)))
            .WithName("GetCacheStats")
            .WithSummary("Cache hits, misses, hit rate and database loads since start or the last reset: this instance's, and every instance's with their sum (fleet).");
        group.MapPost("/reset", (ICacheMetricsFeed feed, FleetMetricsPublisher fleet) => TypedResults.Ok(CacheStatsResponse.From(feed.ResetTotals(), fleet)))
            .WithName("ResetCacheStats")
            .WithSummary("Starts this instance's cache counts afresh (teacher only).")
            .RequireTeacher()
            .DisableAntiforgery();
        return endpoints;
    }
}
