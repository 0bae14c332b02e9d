using BlazorRedis.Core.Keys;
using StackExchange.Redis;

namespace BlazorRedis.App.Api;

/// <summary>
/// The baseline for the cache-hit benchmark: the cheapest useful endpoint, one raw Redis GET and nothing else.
/// The gap between it and GET /api/products/{id} is what the caching layer costs.
/// </summary>
public static class BenchApi
{
    public static IEndpointRouteBuilder MapBenchApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/bench/raw", async (IConnectionMultiplexer mux, RedisKeyspace keys) =>
        {
            var value = await mux.GetDatabase().StringGetAsync(keys.Key("bench", "raw"));
            return Results.Text(value.IsNull ? "null" : value.ToString(), "application/json");
        })
        .WithName("BenchRawGet")
        .WithSummary("One raw Redis GET of {prefix}bench:raw: the baseline for benchmarks.");
        return endpoints;
    }
}
