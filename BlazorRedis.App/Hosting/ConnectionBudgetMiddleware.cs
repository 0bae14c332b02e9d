using System.Collections.Concurrent;
using System.Globalization;
using BlazorRedis.Core.Budgets;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// Caps the long-lived connections (Blazor circuits on <c>/_blazor</c>, the metrics hub on <c>/hubs/</c>) one client
/// address may hold open at once (<c>Budgets:ConnectionsPerAddress</c>): 1,500 SignalR connections that never read,
/// from one address, used to be accepted in under a second and cost the app 160 MB. Past the cap a new one gets 429
/// with <c>Retry-After</c>; a classroom behind one NAT address (a circuit and a hub per learner) stays far below it.
/// </summary>
public sealed class ConnectionBudgetMiddleware(RequestDelegate next, IOptions<BudgetOptions> options, ILogger<ConnectionBudgetMiddleware> logger)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsLongLived(context.Request.Path))
        {
            await next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var open = _open.AddOrUpdate(address, 1, (_, n) => n + 1);
        try
        {
            var limit = options.Value.ConnectionsPerAddress;
            if (open > limit)
            {
                if (open == limit + 1)
                {
                    logger.LogWarning("Client {Address} reached {Limit} open connections; further ones are refused until some close", address, limit);
                }

                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "10";
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many open connections",
                    detail: string.Create(CultureInfo.InvariantCulture, $"This address already holds {limit} open dashboard connections. Close some tabs, then try again in a few seconds.")).ExecuteAsync(context);
                return;
            }

            await next(context);
        }
        finally
        {
            if (_open.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
            {
                _open.TryRemove(new KeyValuePair<string, int>(address, 0));
            }
        }
    }

    private static bool IsLongLived(PathString path) =>
        path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase);
}
