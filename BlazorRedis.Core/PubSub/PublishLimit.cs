using System.Globalization;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.PubSub;

/// <summary>
/// The one publish rule (<see cref="RateLimitingOptions.PublishRule"/>, sliding log) for every way a message gets out:
/// the API counts it per client address, the page per learner. Each publish is fanned out to every open page and kept
/// in the shared journal, so without it one scripted button pushes everyone's unread entries out of the journal.
/// </summary>
public sealed class PublishLimit(IRateLimitService limiter, RedisTracer tracer, IOptions<RateLimitingOptions> options)
{
    /// <summary>The limiter's name for publishing: the API's partitions are <c>publish-ip-{address}</c>, the page's <c>publish-learner-{id}</c>.</summary>
    public const string Scope = "publish";

    /// <summary>The algorithm both count with (no burst at a window's edge).</summary>
    public const RateLimitAlgorithm Algorithm = RateLimitAlgorithm.SlidingLog;

    /// <summary>The rule as configured (<c>RateLimiting:PublishPermitLimit</c> per <c>PublishWindowSeconds</c>).</summary>
    public static RateLimitRule RuleOf(RateLimitingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PublishRule;
    }

    /// <summary>The configured rule.</summary>
    public RateLimitRule Rule => RuleOf(options.Value);

    /// <summary>The partition a learner's page publishes are counted in.</summary>
    public static string LearnerPartition(LearnerId learner) => $"{Scope}-learner-{learner.Value}";

    /// <summary>Takes one publish permit for <paramref name="learner"/>; returns the limiter's command.</summary>
    /// <exception cref="BudgetExceededException">The learner is publishing too fast: nothing may be sent; the message says how long to wait.</exception>
    public async Task<OperationTrace> CheckAsync(LearnerId learner)
    {
        var rule = Rule;
        var recorder = tracer.Start("Publish: may this learner publish?");
        var decision = await limiter.CheckAsync(Algorithm, LearnerPartition(learner), recorder, rule).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw new BudgetExceededException(
                string.Create(CultureInfo.InvariantCulture, $"You are publishing too fast: at most {rule.PermitLimit} messages every {rule.Window.TotalSeconds:0.#} s, so this one was not sent. Try again in {decision.RetryAfterSeconds} s."),
                TimeSpan.FromSeconds(decision.RetryAfterSeconds));
        }

        return recorder.Finish();
    }
}
