using BlazorRedis.Core.SortedSets;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.DataStructures;

/// <summary>The teacher's switch: <c>Demos:SharedLeaderboard</c> in configuration, read by the real app.</summary>
public class LeaderboardSettingTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Demos_SharedLeaderboard_true_puts_every_learner_on_the_classroom_board()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Demos:SharedLeaderboard"] = "true" }).Start();
        using var client = app.CreateHttpClient();

        var html = await client.GetStringAsync("/data-structures/sorted-sets", TestContext.Current.CancellationToken);

        Assert.True(app.Services.GetRequiredService<ISortedSetsDemo>().Shared);
        Assert.Contains("data-testid=\"shared-board\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_each_learner_has_an_own_board()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration).Start();
        using var client = app.CreateHttpClient();

        var html = await client.GetStringAsync("/data-structures/sorted-sets", TestContext.Current.CancellationToken);

        Assert.False(app.Services.GetRequiredService<ISortedSetsDemo>().Shared);
        Assert.DoesNotContain("data-testid=\"shared-board\"", html, StringComparison.Ordinal);
        Assert.Contains("Your leaderboard", html, StringComparison.Ordinal);
    }
}
