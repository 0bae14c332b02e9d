using BlazorRedis.App.Components.Pages.RateLimiting;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.RateLimiting;

public class RateLimitTimelineTests : MudTestContext
{
    private static BurstHit Hit(int index, bool allowed, DecisionSource source = DecisionSource.Redis) => new(
        index,
        TimeSpan.FromMilliseconds(index * 10),
        new RateLimitDecision(RateLimitAlgorithm.TokenBucket, allowed, 10, allowed ? 9 - index : 0, allowed ? TimeSpan.Zero : TimeSpan.FromMilliseconds(900), null, index + 1, source));

    [Fact]
    public void Draws_one_bar_per_answer_coloured_by_the_decision_and_counts_them()
    {
        var cut = Render<RateLimitTimeline>(p => p
            .Add(x => x.Algorithm, RateLimitAlgorithm.TokenBucket)
            .Add(x => x.Size, 4)
            .Add(x => x.Hits, [Hit(0, true), Hit(1, true), Hit(2, false), Hit(3, true, DecisionSource.FailedOpen)]));

        var bars = cut.FindAll("[data-testid=bar]");
        Assert.Equal(4, bars.Count);
        Assert.Contains("br-rl-bar-allowed", bars[0].ClassName, StringComparison.Ordinal);
        Assert.Contains("br-rl-bar-rejected", bars[2].ClassName, StringComparison.Ordinal);
        Assert.Contains("br-rl-bar-open", bars[3].ClassName, StringComparison.Ordinal);
        Assert.Equal("3", cut.Find("[data-testid=allowed-token-bucket]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=rejected-token-bucket]").TextContent);
        Assert.Contains("Token bucket", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Request 3 at 20 ms: rejected, retry in 900 ms", bars[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("without Redis", bars[3].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Places_bars_by_request_number_whatever_order_they_arrived_in()
    {
        var cut = Render<RateLimitTimeline>(p => p
            .Add(x => x.Algorithm, RateLimitAlgorithm.TokenBucket)
            .Add(x => x.Size, 10)
            .Add(x => x.Hits, [Hit(9, false), Hit(0, true)]));

        var bars = cut.FindAll("[data-testid=bar]");
        Assert.Equal("901", bars[0].GetAttribute("x"));
        Assert.Equal("1", bars[1].GetAttribute("x"));
    }
}
