using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;

namespace BlazorRedis.App.Api;

/// <summary>
/// <c>GET /api/limited/{algorithm}</c>, guarded by ASP.NET Core's rate-limiting middleware with the Redis
/// limiters from Core: one <see cref="RedisRateLimiter"/> per client and algorithm. Allowed requests get 200 and
/// the <c>X-RateLimit-*</c> headers; rejected ones 429 with <c>Retry-After</c>.
/// </summary>
public static class RateLimitApi
{
    /// <summary>
    /// The header that names a learner's partition: the rate-limit token the rate-limiting page shows (a Data
    /// Protection token, see <see cref="LearnerTokens"/>), never the bare learner id, which every trace prints. Only
    /// the learner's own page can mint it, so no client can spend another learner's budget by naming them.
    /// </summary>
    public const string LearnerHeader = "X-Learner-Id";

    /// <summary>The query parameter alternative to <see cref="LearnerHeader"/> (the header keeps the token out of access logs).</summary>
    public const string LearnerQuery = "learner";

    /// <summary>Registers the middleware's options: a global limiter that applies only to endpoints marked as Redis-limited.</summary>
    public static IServiceCollection AddRateLimitApi(this IServiceCollection services)
    {
        services.AddRateLimiter();
        services.AddOptions<RateLimiterOptions>().Configure<RedisRateLimiterFactory>((options, factory) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = new LeaseCapturingLimiter(factory.CreatePartitioned<HttpContext>(Partition));
            options.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    /// <summary>Maps <c>GET /api/limited/{algorithm}</c>.</summary>
    public static IEndpointRouteBuilder MapRateLimitApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/limited").WithTags("Rate limiting").AddEndpointFilter<RedisFailureFilter>()
            .MapGet("/{algorithm}", GetLimited)
            .WithName("GetLimited")
            .WithSummary("One request through a Redis rate limiter: 200 with X-RateLimit-* headers, or 429 with Retry-After.")
            .WithMetadata(new RedisRateLimitedEndpoint());
        return endpoints;
    }

    /// <summary>The client's partition: the learner whose token came by header or query, else the remote address.</summary>
    internal static bool TryGetClient(HttpContext context, out string partition, out string error)
    {
        var header = context.Request.Headers[LearnerHeader];
        var query = context.Request.Query[LearnerQuery];
        if (header.Count + query.Count > 1)
        {
            // Which one would count is a guess, and a good token beside a bad one would spend a budget the request did
            // not clearly name: refuse, and count nothing.
            partition = "";
            error = $"Send one rate-limit token, in {LearnerHeader} or ?{LearnerQuery}=, not {header.Count + query.Count}.";
            return false;
        }

        var token = header.FirstOrDefault() ?? query.FirstOrDefault();
        error = "";
        if (token is not null)
        {
            if (context.RequestServices.GetRequiredService<LearnerTokens>().TryReadRateLimit(token, out var id))
            {
                partition = RateLimitLab.PartitionFor(id);
                return true;
            }

            partition = "";
            error = $"{LearnerHeader} takes the rate-limit token the rate-limiting page shows (not the learner id, which proves nothing); leave it out to be limited by address.";
            return false;
        }

        partition = "ip-" + ClientAddress(context);
        return true;
    }

    private static Results<Ok<LimitedResponse>, ValidationProblem, ProblemHttpResult> GetLimited(string algorithm, HttpContext context)
    {
        if (!RateLimitAlgorithms.TryParse(algorithm, out var parsed))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown rate-limit algorithm",
                detail: "Use one of: " + string.Join(", ", RateLimitAlgorithms.All.Select(a => a.Slug())) + ".");
        }

        if (!TryGetClient(context, out var partition, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [LearnerQuery] = [error] });
        }

        var decision = context.Features.Get<RateLimitLeaseFeature>()?.Decision
            ?? throw new InvalidOperationException("The rate-limiting middleware did not run before /api/limited.");
        WriteHeaders(context.Response, decision);
        return TypedResults.Ok(new LimitedResponse(parsed.Slug(), true, decision.Limit, decision.Remaining, partition, DecidedBy(decision)));
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        context.Lease.TryGetMetadata(RedisRateLimitLease.DecisionMetadata, out var decision);
        var retryAfter = decision?.RetryAfterSeconds
            ?? (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1);
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (decision is not null)
        {
            WriteHeaders(http.Response, decision);
        }

        await Rejection(decision, retryAfter).ExecuteAsync(http);
    }

    /// <summary>The problem a refused request gets, from the middleware or from <see cref="CheckEndpointLimitAsync"/>.</summary>
    private static ProblemHttpResult Rejection(RateLimitDecision? decision, int retryAfter)
    {
        // Failing closed is not the client's fault: say "unavailable", not "too many".
        var closed = decision?.Source == DecisionSource.FailedClosed;
        return TypedResults.Problem(
            statusCode: closed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests,
            title: closed ? "Rate limiter unavailable" : "Too many requests",
            detail: closed
                ? "Redis is unreachable and the rate limiter is configured to fail closed; try again shortly."
                : $"The {decision?.Algorithm.Title().ToLowerInvariant() ?? "rate"} limit of {decision?.Limit} requests is used up; try again in {retryAfter} s.",
            extensions: new Dictionary<string, object?>
            {
                ["algorithm"] = decision?.Algorithm.Slug(),
                ["retryAfterSeconds"] = retryAfter,
                ["decidedBy"] = decision is null ? null : DecidedBy(decision),
            });
    }

    /// <summary>
    /// The endpoint's own per-address limit (<see cref="RequireRedisRateLimit"/>): one permit of its rule for this client
    /// address. The endpoint calls it once the request is known to be valid and before any work, so a refused body
    /// spends no budget and writes no key. Null when allowed; else the same 429 (or 503 failing closed) the middleware answers.
    /// </summary>
    internal static Task<ProblemHttpResult?> CheckEndpointLimitAsync(HttpContext context)
    {
        var marker = context.GetEndpoint()?.Metadata.GetMetadata<RedisRateLimitedEndpoint>();
        if (marker is not { Scope: { } scope, Rule: { } rule })
        {
            throw new InvalidOperationException($"{context.Request.Path} has no RequireRedisRateLimit to check.");
        }

        return CheckAsync(context, marker.Algorithm, scope, rule);
    }

    /// <summary>
    /// A second, narrower limit that only the endpoint can apply, because only the body names what it counts (e.g.
    /// login attempts per address and username): one permit of <paramref name="rule"/> for this client address and
    /// <paramref name="subject"/>. Null when allowed; else the same 429 (or 503 failing closed) the middleware answers.
    /// </summary>
    /// <param name="subject">What is counted; hashed, so any text is a safe partition.</param>
    internal static Task<ProblemHttpResult?> CheckEndpointLimitAsync(HttpContext context, string scope, string subject, RateLimitRule rule) =>
        CheckAsync(context, RateLimitAlgorithm.SlidingLog, $"{scope}-{Hash(subject)}", rule);

    private static async Task<ProblemHttpResult?> CheckAsync(HttpContext context, RateLimitAlgorithm algorithm, string scope, RateLimitRule rule)
    {
        var limiter = context.RequestServices.GetRequiredService<IRateLimitService>();
        var address = ClientAddress(context);
        var partition = $"{scope}-ip-{address}";
        if (partition.Length > RedisRateLimitService.MaxPartitionLength)
        {
            // An IPv6 address with a long zone id: still one partition per address, just not readable in the key.
            partition = $"{scope}-ip-{Hash(address)}";
        }

        var decision = (await limiter.CheckAsync(algorithm, partition, rule, context.RequestAborted).ConfigureAwait(false)).Value;
        if (decision.Allowed)
        {
            return null;
        }

        context.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        WriteHeaders(context.Response, decision);
        return Rejection(decision, decision.RetryAfterSeconds);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    /// <summary>The client's address as the limiter counts it (a trusted proxy's X-Forwarded-For already applied).</summary>
    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static void WriteHeaders(HttpResponse response, RateLimitDecision decision)
    {
        response.Headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
    }

    private static string DecidedBy(RateLimitDecision decision) => decision.Source switch
    {
        DecisionSource.Redis => "redis",
        DecisionSource.FailedOpen => "fail-open",
        _ => "fail-closed",
    };

    private static RedisLimiterKey? Partition(HttpContext context)
    {
        var marker = context.GetEndpoint()?.Metadata.GetMetadata<RedisRateLimitedEndpoint>();
        if (marker is null
            || marker.Scope is not null
            || !RateLimitAlgorithms.TryParse(context.Request.RouteValues["algorithm"] as string, out var algorithm)
            || !TryGetClient(context, out var partition, out _))
        {
            // Not /api/limited (an endpoint with a scope counts itself, once its body is valid), or a request the
            // endpoint will answer with 404/400 without counting it.
            return null;
        }

        return new RedisLimiterKey(algorithm, partition);
    }

    /// <summary>The JSON of an allowed request.</summary>
    public sealed record LimitedResponse(string Algorithm, bool Allowed, int Limit, int Remaining, string Partition, string DecidedBy);

    /// <summary>Marks endpoints the Redis limiter guards.</summary>
    /// <param name="Scope">Null for /api/limited, which the middleware counts (algorithm from the route, client from learner
    /// or address); else a name that gives the endpoint counters of its own, per remote address, under
    /// <paramref name="Rule"/>, which the endpoint takes with <see cref="CheckEndpointLimitAsync(HttpContext)"/> once it
    /// has found the request valid (the middleware runs before the body is read, so it would count bad bodies too).</param>
    internal sealed record RedisRateLimitedEndpoint(string? Scope = null, RateLimitAlgorithm Algorithm = RateLimitAlgorithm.SlidingLog, RateLimitRule? Rule = null);

    /// <summary>
    /// Gives an endpoint its own Redis limit per client address (e.g. login attempts). The handler takes the permit
    /// with <see cref="CheckEndpointLimitAsync(HttpContext)"/> after validating the request and before any work.
    /// </summary>
    public static RouteHandlerBuilder RequireRedisRateLimit(this RouteHandlerBuilder builder, string scope, Func<RateLimitingOptions, RateLimitRule> rule)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rule);
        builder.Add(endpoint =>
        {
            var options = endpoint.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitingOptions>>().Value;
            endpoint.Metadata.Add(new RedisRateLimitedEndpoint(scope, RateLimitAlgorithm.SlidingLog, rule(options)));
        });
        return builder;
    }

    /// <summary>The lease the middleware got, so the endpoint can write the X-RateLimit headers of an allowed request.</summary>
    internal sealed record RateLimitLeaseFeature(RateLimitLease Lease)
    {
        public RateLimitDecision? Decision => Lease.TryGetMetadata(RedisRateLimitLease.DecisionMetadata, out var d) ? d : null;
    }

    /// <summary>
    /// Hands each request's lease to the endpoint (the middleware keeps it to itself), then behaves exactly
    /// like the partitioned Redis limiter it wraps.
    /// </summary>
    internal sealed class LeaseCapturingLimiter(PartitionedRateLimiter<HttpContext> inner) : PartitionedRateLimiter<HttpContext>
    {
        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => inner.GetStatistics(resource);

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
            IsLimited(resource) ? Capture(resource, inner.AttemptAcquire(resource, permitCount)) : UnlimitedLease.Instance;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
            IsLimited(resource) ? Capture(resource, await inner.AcquireAsync(resource, permitCount, cancellationToken).ConfigureAwait(false)) : UnlimitedLease.Instance;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>
        /// Only /api/limited (marked <see cref="RedisRateLimitedEndpoint"/> with no scope) is limited here. Every other request (pages, assets, the
        /// circuit, the product API) is let through here, without the partitioned limiter's lock and lease per request.
        /// </summary>
        internal static bool IsLimited(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<RedisRateLimitedEndpoint>() is { Scope: null };

        private static RateLimitLease Capture(HttpContext context, RateLimitLease lease)
        {
            // Only Redis decisions are worth keeping; unlimited requests (pages, assets, the circuit) pass untouched.
            if (lease is RedisRateLimitLease { Decision: not null })
            {
                context.Features.Set(new RateLimitLeaseFeature(lease));
            }

            return lease;
        }

        /// <summary>The lease of a request no limiter counts: acquired, with no metadata; shared, since disposing it does nothing.</summary>
        private sealed class UnlimitedLease : RateLimitLease
        {
            public static readonly UnlimitedLease Instance = new();

            public override bool IsAcquired => true;

            public override IEnumerable<string> MetadataNames => [];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = null;
                return false;
            }
        }
    }
}
