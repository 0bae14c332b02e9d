using BlazorRedis.Core.PubSub;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorRedis.App.Api;

/// <summary>Publishing over HTTP: what a service would do to tell the others that something happened.</summary>
public static class PubSubApi
{
    /// <summary>Maps <c>POST /api/pubsub/publish</c>.</summary>
    public static IEndpointRouteBuilder MapPubSubApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/pubsub").WithTags("Pub/Sub").AddEndpointFilter<RedisFailureFilter>()
            .MapPost("/publish", PublishAsync)
            .RequireRedisRateLimit(PublishLimit.Scope, PublishLimit.RuleOf)
            .WithName("Publish")
            .WithSummary("PUBLISHes a message to a channel (and keeps a copy in the journal stream); answers how many subscribers received it.");
        return endpoints;
    }

    /// <summary>The body of a publish.</summary>
    public sealed record PublishRequest(string? Channel, string? Message);

    /// <summary>What PUBLISH replied, and where the journal copy went.</summary>
    /// <param name="Receivers">How many subscriptions received the message right now.</param>
    /// <param name="Channel">The channel as named in the request.</param>
    /// <param name="FullChannel">The channel on the server (under the app prefix).</param>
    /// <param name="JournalId">The stream entry id of the copy kept for consumer groups.</param>
    public sealed record PublishResponse(long Receivers, string Channel, string FullChannel, string JournalId);

    private static async Task<Results<Ok<PublishResponse>, ValidationProblem, ProblemHttpResult>> PublishAsync(PublishRequest? body, IPubSubService pubSub, HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        if (!PubSubValidation.TryValidateName(body?.Channel, isPattern: false, out var channelError))
        {
            errors["channel"] = [channelError];
        }

        if (!PubSubValidation.TryValidateMessage(body?.Message, out var messageError))
        {
            errors["message"] = [messageError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Counted only now: a refused body spends no budget and writes no key.
        if (await RateLimitApi.CheckEndpointLimitAsync(context) is { } refused)
        {
            return refused;
        }

        var result = (await pubSub.PublishAsync(body!.Channel!, body.Message!)).Value;
        return TypedResults.Ok(new PublishResponse(result.Receivers, result.Channel, result.FullChannel, result.JournalId));
    }
}
