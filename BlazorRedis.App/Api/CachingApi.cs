using System.ComponentModel.DataAnnotations;
using BlazorRedis.App.Classroom;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorRedis.App.Api;

/// <summary>
/// The write-behind queue as the API reports it. <c>SupersededWrites</c> counts the queued writes the worker skipped
/// because a newer direct write (write-through, invalidate) had already changed their product.
/// </summary>
public sealed record WriteBehindResponse(
    long QueueLength, long Pending, long Undelivered, double? LagMs, int AppliedWrites, bool WorkerPaused,
    int MaxQueue, string? PausedBy, DateTimeOffset? ResumesAt, long LostWrites, DateTimeOffset? StreamFoundGoneAt, long SupersededWrites);

/// <summary>The body of <c>PUT /api/catalog/latency</c>.</summary>
public sealed record LatencyRequest([property: Range(0, InMemoryProductDatabase.MaxLatencyMs)] int? LatencyMs);

/// <summary>The caching lab's endpoints: products (cache-aside), the stampede race, the write-behind queue and the database latency.</summary>
public static class CachingApi
{
    public static IEndpointRouteBuilder MapCachingApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapProductsApi().MapStampedeApi();

        endpoints.MapGroup("/api/cache/write-behind").WithTags("Cache").AddEndpointFilter<RedisFailureFilter>()
            .MapGet("/", GetWriteBehindAsync)
            .WithName("GetWriteBehindStatus")
            .WithSummary("The write-behind queue: length, pending entries, lag, applied writes and superseded writes (skipped because a newer direct write won).");

        var catalog = endpoints.MapGroup("/api/catalog").WithTags("Products").AddEndpointFilter<RedisFailureFilter>();
        catalog.MapGet("/latency", GetLatencyAsync)
            .WithName("GetCatalogLatency")
            .WithSummary("The slow database's latency in milliseconds.");
        catalog.MapPut("/latency", SetLatencyAsync)
            .RequireTeacher()
            .WithName("SetCatalogLatency")
            .WithSummary("Sets the slow database's latency (0 to the maximum) for every reader (teacher only).");
        return endpoints;
    }

    private static async Task<Ok<WriteBehindResponse>> GetWriteBehindAsync(WriteBehindService writeBehind)
    {
        var s = (await writeBehind.GetStatusAsync()).Value;
        return TypedResults.Ok(new WriteBehindResponse(s.QueueLength, s.Pending, s.Undelivered, s.OldestWaiting is { } lag ? Math.Round(lag.TotalMilliseconds, 1) : null, s.AppliedWrites, s.WorkerPaused,
            s.MaxQueue, s.PausedBy, s.ResumesAt, s.LostWrites, s.StreamFoundGoneAt, s.SupersededWrites));
    }

    private static async Task<Ok<LatencyRequest>> GetLatencyAsync(IProductDatabase database) =>
        TypedResults.Ok(new LatencyRequest((int)(await database.GetLatencyAsync()).TotalMilliseconds));

    private static async Task<Results<Ok<LatencyRequest>, ValidationProblem>> SetLatencyAsync(LatencyRequest? body, IProductDatabase database, CancellationToken ct)
    {
        if (body?.LatencyMs is not { } ms || ms < 0 || ms > InMemoryProductDatabase.MaxLatencyMs)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["latencyMs"] = [$"latencyMs must be a whole number between 0 and {InMemoryProductDatabase.MaxLatencyMs}."] },
                title: "The latency is not valid.");
        }

        await database.SetLatencyAsync(TimeSpan.FromMilliseconds(ms), ct);
        return TypedResults.Ok(new LatencyRequest(ms));
    }
}
