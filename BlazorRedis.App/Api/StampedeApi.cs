using System.ComponentModel.DataAnnotations;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Stampede;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorRedis.App.Api;

/// <summary>The body of <c>POST /api/cache/stampede</c>.</summary>
public sealed record StampedeRequest([property: Range(1, StampedeRace.MaxRequests)] int? Requests, string? Protection);

/// <summary>A race's measured outcome; readersWaited/waitP50Ms/waitMaxMs say how long readers waited for a load, which the total time (it includes XFetch's spread-out arrivals) does not.</summary>
public sealed record StampedeResponse(
    string Protection,
    int Requests,
    int DatabaseLoads,
    double ElapsedMs,
    string Scenario,
    long RedisCommands,
    int Waiters,
    int WarmupLoads,
    double P50Ms,
    double P99Ms,
    int ReadersWaited,
    double WaitP50Ms,
    double WaitMaxMs);

/// <summary><c>POST /api/cache/stampede</c>: N concurrent readers on a fresh cold key under one protection.</summary>
public static class StampedeApi
{
    public static IEndpointRouteBuilder MapStampedeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/cache/stampede").WithTags("Cache").AddEndpointFilter<RedisFailureFilter>()
            .MapPost("/", RunRaceAsync)
            .WithName("RunStampedeRace")
            .WithSummary("Races N concurrent readers of one cold key under a protection (none, lock, coalescing, xfetch) and counts the database loads.");
        return endpoints;
    }

    private static async Task<Results<Ok<StampedeResponse>, ValidationProblem>> RunRaceAsync(StampedeRequest? body, StampedeRace race, ActionBudget budget, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Requests is not { } requests || requests < 1 || requests > StampedeRace.MaxRequests)
        {
            errors["requests"] = [$"requests must be a whole number between 1 and {StampedeRace.MaxRequests}."];
        }

        if (!StampedeRace.TryParseProtection(body?.Protection, out var protection))
        {
            errors["protection"] = ["protection must be one of none, lock, coalescing, xfetch."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The race request is not valid.");
        }

        // An API client is its address: one race at a time each, of at most its share of the class's readers in flight.
        // A race bigger than that share can never run, so it is bad input that says the most, not a 429 whose Retry-After
        // would send the client back with the same request; a race that fits but finds the budget spent is the 429.
        var owner = ActionBudget.ApiClient(http.Connection.RemoteIpAddress);
        if (budget.NeverFits(BudgetKind.StampedeRace, owner, body!.Requests!.Value) is { } tooBig)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["requests"] = [tooBig] }, detail: tooBig, title: "The race is too big.");
        }

        using var lease = budget.Start(BudgetKind.StampedeRace, owner, body.Requests.Value);
        var r = (await race.RunAsync(protection, body.Requests.Value, ct)).Value;
        return TypedResults.Ok(new StampedeResponse(
            r.Protection.ToString().ToLowerInvariant(),
            r.Requests,
            r.DatabaseLoads,
            Math.Round(r.Elapsed.TotalMilliseconds, 1),
            r.Scenario,
            r.RedisCommands,
            r.LockWaits,
            r.WarmupLoads,
            r.P50Ms,
            r.P99Ms,
            r.ReadersWaited,
            r.WaitP50Ms,
            r.WaitMaxMs));
    }
}
