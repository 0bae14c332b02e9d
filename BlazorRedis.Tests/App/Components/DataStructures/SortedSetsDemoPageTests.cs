using BlazorRedis.App.Components.Pages.DataStructures.SortedSets;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class SortedSetsDemoPageTests : DemoPageTestContext
{
    public SortedSetsDemoPageTests(RedisServerFixture redis)
        : base(redis) =>
        Services.AddSingleton<ISortedSetsDemo>(new SortedSetsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor, Options.Create(new LeaderboardOptions())));

    [Fact]
    public void Scenario_re_ranks_the_board_after_ZINCRBY()
    {
        var cut = RenderDemo<SortedSetsDemo>();

        Click(cut, "run-scenario");
        WaitForScenario(cut);

        // The last step reads the top three: Alice 1100, Bob 1000, Dave 900.
        var rows = cut.FindAll("[data-testid='leaderboard-row']").OrderBy(r => r.GetAttribute("data-rank")).Select(r => r.GetAttribute("data-player")).ToList();
        Assert.Equal(["Alice", "Bob", "Dave"], rows);
        Assert.Contains("ZREVRANK 3", cut.Find("[data-testid='standing-result']").TextContent, StringComparison.Ordinal);
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("ZREVRANGE", StringComparison.Ordinal) && r.TextContent.Contains("WITHSCORES", StringComparison.Ordinal));
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("ZINCRBY", StringComparison.Ordinal));
    }

    [Fact]
    public void A_player_overtaking_moves_to_rank_zero()
    {
        var cut = RenderDemo<SortedSetsDemo>();
        Type(cut, "player", "Zed");
        Type(cut, "score", "10");
        Click(cut, "zadd");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='leaderboard-row']")), Patience);
        Type(cut, "player", "Amy");
        Type(cut, "score", "20");
        Click(cut, "zadd");
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-player='Amy']").GetAttribute("data-rank")), Patience);

        Type(cut, "player", "Zed");
        Type(cut, "points", "15");
        Click(cut, "zincrby");

        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-player='Zed']").GetAttribute("data-rank")), Patience);
        Assert.Equal("1", cut.Find("[data-player='Amy']").GetAttribute("data-rank"));
    }

    [Fact]
    public void A_player_standing_is_cleared_when_a_later_ZINCRBY_or_ZADD_changes_the_board()
    {
        var cut = RenderDemo<SortedSetsDemo>();
        Type(cut, "player", "Zed");
        Type(cut, "score", "5");
        Click(cut, "zadd");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='leaderboard-row']")), Patience);
        Click(cut, "standing");
        cut.WaitForAssertion(() => Assert.Contains("ZSCORE 5", cut.Find("[data-testid='standing-result']").TextContent, StringComparison.Ordinal), Patience);

        Type(cut, "points", "1000");
        Click(cut, "zincrby");

        cut.WaitForAssertion(() => Assert.Contains("ZINCRBY", cut.Find("[data-testid='trace-operation']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(cut.FindAll("[data-testid='standing-result']"));

        Click(cut, "standing");
        cut.WaitForAssertion(() => Assert.Contains("ZSCORE 1005", cut.Find("[data-testid='standing-result']").TextContent, StringComparison.Ordinal), Patience);
        Type(cut, "player", "Amy");
        Type(cut, "score", "2000");
        Click(cut, "zadd");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='leaderboard-row']").Count), Patience);
        Assert.Empty(cut.FindAll("[data-testid='standing-result']"));
    }

    [Fact]
    public async Task A_blank_player_shows_a_message_and_writes_nothing()
    {
        var cut = RenderDemo<SortedSetsDemo>();
        Type(cut, "player", " ");

        Click(cut, "zadd");

        cut.WaitForAssertion(() => Assert.Contains("player name must not be empty", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(await AreaKeysAsync(SortedSetsDemoService.Area));
    }

    [Fact]
    public void A_shared_board_says_so()
    {
        Services.AddSingleton<ISortedSetsDemo>(new SortedSetsDemoService(Redis.Multiplexer, Redis.Tracer, Keys, Janitor, Options.Create(new LeaderboardOptions { SharedLeaderboard = true })));

        var cut = RenderDemo<SortedSetsDemo>();

        Assert.NotNull(cut.Find("[data-testid='shared-board']"));
        Assert.Contains("classroom", cut.Markup, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderDemo<SortedSetsDemo>());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderDemo<SortedSetsDemo>());
}
