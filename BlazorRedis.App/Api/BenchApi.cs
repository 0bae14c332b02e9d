using BlazorRedis.Core.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
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
        endpoints.MapGroup("/api/bench").WithTags("Benchmarks").AddEndpointFilter<RedisFailureFilter>()
            .MapGet("/raw", GetRawAsync)
            .WithName("BenchRawGet")
            .WithSummary("One raw Redis GET of {prefix}bench:raw: the baseline for benchmarks.");
        return endpoints;
    }

    private static async Task<ContentHttpResult> GetRawAsync(IConnectionMultiplexer mux, RedisKeyspace keys)
    {
        var value = await mux.GetDatabase().StringGetAsync(keys.Key("bench", "raw"));
        return TypedResults.Text(value.IsNull ? "null" : value.ToString(), "application/json");
    }
}
