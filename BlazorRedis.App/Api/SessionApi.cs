using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Api;

/// <summary>
/// Server-side sessions over HTTP. The session id travels only in an HttpOnly cookie and is never in a response
/// body: page scripts (and so an XSS payload) cannot read it, and nothing logs or caches it by accident.
/// </summary>
public static class SessionApi
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "br-session";

    /// <summary>Maps <c>/api/session/login</c>, <c>/me</c> and <c>/logout</c>.</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/session").WithTags("Sessions").AddEndpointFilter<RedisFailureFilter>();
        // Login attempts are limited by the Redis limiter per address (RateLimiting:LoginAddressPermitLimit, a ceiling a whole
        // class behind one NAT fits under) and, in LoginAsync, per address and username (LoginPermitLimit).
        group.MapPost("/login", LoginAsync).RequireRedisRateLimit("login", o => o.LoginAddressRule)
            .WithName("Login")
            .WithSummary("Starts a server-side session (rotating any previous one) and sets the HttpOnly session cookie.");
        group.MapGet("/me", MeAsync)
            .WithName("GetSession")
            .WithSummary("The current session's public facts; touching it slides the idle timeout.");
        // Logout asks what login asks: a JSON content type, which a cross-site form or a no-cors fetch cannot send
        // without a CORS preflight (that this app never grants). So another page cannot end a learner's session.
        group.MapPost("/logout", LogoutAsync)
            .Accepts<LogoutRequest>(isOptional: true, "application/json")
            .WithName("Logout")
            .WithSummary("Deletes the session on the server and clears the cookie. Needs Content-Type: application/json (the body may be empty).");
        return endpoints;
    }

    /// <summary>The body of a login.</summary>
    public sealed record LoginRequest(string? Username);

    /// <summary>The (optional, empty) body of a logout: <c>{}</c>.</summary>
    public sealed record LogoutRequest;

    /// <summary>What a client may know about its session (everything but the id).</summary>
    /// <param name="Username">Who is logged in.</param>
    /// <param name="CreatedAt">When the session began.</param>
    /// <param name="LastSeenAt">The last request that touched it (this one).</param>
    /// <param name="ExpiresAt">When it ends if no request comes first: min(last seen + idle timeout, absolute deadline).</param>
    /// <param name="AbsoluteExpiresAt">When it ends however busy it is.</param>
    /// <param name="IdleTimeoutSeconds">The sliding timeout in effect.</param>
    /// <param name="AbsoluteTimeoutSeconds">The lifetime in effect.</param>
    public sealed record SessionFacts(
        string Username,
        DateTimeOffset CreatedAt,
        DateTimeOffset LastSeenAt,
        DateTimeOffset ExpiresAt,
        DateTimeOffset AbsoluteExpiresAt,
        double IdleTimeoutSeconds,
        double AbsoluteTimeoutSeconds);

    /// <summary>The cookie's flags: HttpOnly, SameSite=Lax, path /, Secure whenever the request came over HTTPS.</summary>
    public static CookieOptions CookieOptionsFor(HttpRequest request, DateTimeOffset? expires = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = request.IsHttps,
            Path = "/",
            IsEssential = true,
            Expires = expires,
        };
    }

    private static async Task<Results<Ok<SessionFacts>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest? body, HttpContext context, ISessionStore store, IOptions<RateLimitingOptions> limits)
    {
        if (!SessionUsername.TryValidate(body?.Username, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["username"] = [error] });
        }

        // Counted only once the body is valid (a refused body spends no budget and writes no key): first the address's
        // ceiling, then, case-folded so "Alice", "ALICE" and "alice" share one budget, the address and username.
        if (await RateLimitApi.CheckEndpointLimitAsync(context) is { } refused)
        {
            return refused;
        }

        if (await RateLimitApi.CheckEndpointLimitAsync(context, "login-user", body.Username.ToUpperInvariant(), limits.Value.LoginRule) is { } refusedUser)
        {
            return refusedUser;
        }

        // Rotation: whatever session this client had ends in the same step that creates the new one.
        var previous = context.Request.Cookies[CookieName];
        var session = (await store.CreateAsync(body.Username, previous)).Value;
        context.Response.Cookies.Append(CookieName, session.Id, CookieOptionsFor(context.Request, session.AbsoluteExpiresAt));
        return TypedResults.Ok(Facts(session, store.Timeouts));
    }

    private static async Task<Results<Ok<SessionFacts>, ProblemHttpResult>> MeAsync(HttpContext context, ISessionStore store)
    {
        var id = context.Request.Cookies[CookieName];
        var session = id is null ? null : (await store.TouchAsync(id)).Value;
        if (session is null)
        {
            if (id is not null)
            {
                context.Response.Cookies.Delete(CookieName, CookieOptionsFor(context.Request));
            }

            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Not logged in",
                detail: id is null ? "No session cookie was sent." : "The session has ended (expired, logged out or unknown).");
        }

        return TypedResults.Ok(Facts(session, store.Timeouts));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpContext context, ISessionStore store)
    {
        if (!context.Request.HasJsonContentType())
        {
            return ApiProblems.UnsupportedMediaType();
        }

        var id = context.Request.Cookies[CookieName];
        if (id is not null)
        {
            await store.DeleteAsync(id);
            context.Response.Cookies.Delete(CookieName, CookieOptionsFor(context.Request));
        }

        return TypedResults.NoContent();
    }

    private static SessionFacts Facts(SessionInfo s, SessionTimeouts timeouts) => new(
        s.Username, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.AbsoluteExpiresAt, timeouts.Idle.TotalSeconds, timeouts.Absolute.TotalSeconds);
}
