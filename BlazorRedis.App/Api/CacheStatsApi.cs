using BlazorRedis.App.Classroom;
using BlazorRedis.Core.Metrics;

namespace BlazorRedis.App.Api;

/// <summary>The cache's cumulative counts, as the source material's <c>/cache/stats</c> endpoint has them.</summary>
public static class CacheStatsApi
{
    /// <summary>The JSON shape: <c>{ "hits", "misses", "hitRate", "databaseLoads" }</c>; hitRate is 0-1.</summary>
    public sealed record CacheStatsResponse(long Hits, long Misses, double HitRate, long DatabaseLoads, DateTimeOffset Since)
    {
        public static CacheStatsResponse From(CacheTotals totals) =>
            new(totals.Hits, totals.Misses, totals.HitRate, totals.DatabaseLoads, totals.Since);
    }

    /// <summary><c>GET /api/cache/stats</c> and <c>POST /api/cache/stats/reset</c>.</summary>
    public static IEndpointRouteBuilder MapCacheStatsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/cache/stats").WithTags("Cache statistics").AddEndpointFilter<RedisFailureFilter>();
        group.MapGet("/", (ICacheMetricsFeed feed) => TypedResults.Ok(CacheStatsResponse.From(feed.Totals)))
            .WithName("GetCacheStats")
            .WithSummary("Cache hits, misses, hit rate and database loads since start or the last reset.");
        group.MapPost("/reset", (ICacheMetricsFeed feed) => TypedResults.Ok(CacheStatsResponse.From(feed.ResetTotals())))
            .WithName("ResetCacheStats")
            .WithSummary("Starts the cache counts afresh (teacher only).")
            .RequireTeacher()
            .DisableAntiforgery();
        return endpoints;
    }
}
