using System.Text.Json;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace BlazorRedis.App.Api;

/// <summary>
/// The benchmarks' yardsticks. <c>/raw</c>: the cheapest useful endpoint, one raw Redis GET and nothing else (the gap
/// between it and GET /api/products/{id} is what the caching layer costs). <c>/memory</c>: a product reply of the same
/// shape built from JSON the app already holds, with no cache and no Redis at all: the most requests/s any L1 hit can
/// reach on the machine, so a benchmark can show how close the libraries come to it.
/// </summary>
public static class BenchApi
{
    // A product as the catalog seeds them, serialized once: the reply is about as long as GET /api/products/1's.
    private static readonly string MemoryProductJson = JsonSerializer.Serialize(
        new Product(1, "Product 1", 149.99m, "electronics", 250, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        CachingJsonContext.Default.Product);

    public static IEndpointRouteBuilder MapBenchApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/bench").WithTags("Benchmarks").AddEndpointFilter<RedisFailureFilter>()
            .MapGet("/raw", GetRawAsync)
            .WithName("BenchRawGet")
            .WithSummary("One raw Redis GET of {prefix}bench:raw: the baseline for benchmarks.");
        endpoints.MapGroup("/api/bench").WithTags("Benchmarks")
            .MapGet("/memory", GetMemory)
            .WithName("BenchMemory")
            .WithSummary("A product reply from JSON the app holds, with no cache and no Redis: the ceiling for an L1 hit in benchmarks.")
            .Produces<ProductResponse>();
        return endpoints;
    }

    private static ProductJsonResult GetMemory() => new("memory", 0, MemoryProductJson);

    private static async Task<ContentHttpResult> GetRawAsync(IConnectionMultiplexer mux, RedisKeyspace keys, RedisCommandBudget budget)
    {
        // Within the app's one command budget, as every cache read is, so the baseline pays what they pay.
        var db = mux.GetDatabase();
        var key = keys.Key("bench", "raw");
        var value = await budget.RunAsync(() => db.StringGetAsync(key));
        return TypedResults.Text(value.IsNull ? "null" : value.ToString(), "application/json");
    }
}
