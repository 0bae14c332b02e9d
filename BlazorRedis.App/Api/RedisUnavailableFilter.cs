using StackExchange.Redis;

namespace BlazorRedis.App.Api;

/// <summary>
/// Turns "Redis is unreachable" into a 503 problem instead of a 500: the request was fine, the dependency is
/// not, and a client may retry. Any other failure still surfaces as a bug.
/// </summary>
public sealed class RedisUnavailableFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            context.HttpContext.Response.Headers.RetryAfter = "5";
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Redis is unavailable",
                detail: "The app cannot reach Redis right now, so nothing was changed. Try again in a few seconds.");
        }
    }
}
