using BlazorRedis.Core.Caching;
using StackExchange.Redis;

namespace BlazorRedis.App.Api;

/// <summary>The write-behind queue as the API reports it.</summary>
public sealed record WriteBehindResponse(long QueueLength, long Pending, long Undelivered, double? LagMs, int AppliedWrites, bool WorkerPaused);

/// <summary>The body of <c>PUT /api/catalog/latency</c>.</summary>
public sealed record LatencyRequest(int? LatencyMs);

/// <summary>The caching lab's endpoints: products (cache-aside), the stampede race, the write-behind queue and the database latency.</summary>
public static class CachingApi
{
    public static IEndpointRouteBuilder MapCachingApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapProductsApi().MapStampedeApi();

        endpoints.MapGet("/api/cache/write-behind", async Task<IResult> (WriteBehindService writeBehind) =>
        {
            try
            {
                var s = (await writeBehind.GetStatusAsync()).Value;
                return TypedResults.Ok(new WriteBehindResponse(s.QueueLength, s.Pending, s.Undelivered, s.OldestWaiting is { } lag ? Math.Round(lag.TotalMilliseconds, 1) : null, s.AppliedWrites, s.WorkerPaused));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return ProductsApi.Unavailable();
            }
        }).WithTags("Cache");

        endpoints.MapGet("/api/catalog/latency", (IProductDatabase database) =>
            TypedResults.Ok(new LatencyRequest((int)database.Latency.TotalMilliseconds))).WithTags("Products");

        endpoints.MapPut("/api/catalog/latency", IResult (LatencyRequest? body, IProductDatabase database) =>
        {
            if (body?.LatencyMs is not { } ms || ms < 0 || ms > InMemoryProductDatabase.MaxLatencyMs)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["latencyMs"] = [$"latencyMs must be a whole number between 0 and {InMemoryProductDatabase.MaxLatencyMs}."] },
                    title: "The latency is not valid.");
            }

            database.SetLatency(TimeSpan.FromMilliseconds(ms));
            return TypedResults.Ok(new LatencyRequest(ms));
        }).WithTags("Products");

        return endpoints;
    }
}
