using BlazorRedis.App.Components.Pages.DataStructures.Bitmaps;
using BlazorRedis.Core.Bitmaps;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class BitmapsDemoPageTests(RedisServerFixture redis) : DemoPageTestContext(redis)
{
    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderPage());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderPage());

    private IRenderedComponent<BitmapsDemo> RenderPage() =>
        Loaded(RenderWithProviders<BitmapsDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero)));

    [Fact]
    public void The_scenario_fills_the_grid_and_shows_retention_and_the_million_user_figure()
    {
        var cut = RenderPage();

        cut.Find("[data-testid='run-scenario']").Click();

        WaitForScenario(cut);
        var days = cut.FindAll("[data-testid='bitgrid-day']");
        Assert.Equal("48", days[0].GetAttribute("data-count"));
        Assert.Equal("80", days[1].GetAttribute("data-count"));
        Assert.Contains("16 of 48 came back", cut.Find("[data-testid='retention']").TextContent, StringComparison.Ordinal);
        Assert.Contains("125,000 bytes", cut.Find("[data-testid='memory-figure']").TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("[data-testid='trace-row']"), r => r.TextContent.Contains("BITOP AND", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reset_deletes_this_learners_bitmap_keys_only()
    {
        var other = Keys.ForLearner(BlazorRedis.Core.Keys.LearnerId.New()).Key("bitmaps", "logins", "2026-01-01");
        await Db.StringSetBitAsync(other, 1, true);
        var cut = RenderPage();
        cut.Find("[data-testid='setbit']").Click();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("rect[data-bit='1']"), r => r.GetAttribute("data-user") == "42"), Patience);
        Assert.Equal(1, await KeyCountAsync("bitmaps"));

        cut.Find("[data-testid='reset']").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("rect[data-bit='1']")), Patience);
        Assert.Equal(0, await KeyCountAsync("bitmaps"));
        Assert.True(await Db.KeyExistsAsync(other));
    }

    [Theory]
    [InlineData("abc", "whole number")]
    [InlineData("-3", "0 to 10,000,000")]
    [InlineData("10000001", "0 to 10,000,000")]
    public async Task A_bad_user_id_shows_a_message_and_writes_nothing(string userId, string message)
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='user-id']")).Input(userId);
        cut.Find("[data-testid='setbit']").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(0, await KeyCountAsync("bitmaps"));
    }

    [Fact]
    public Task Closing_the_page_mid_scenario_stops_its_commands() =>
        AssertClosingMidScenarioStopsWritingAsync<BitmapsDemo>("bitmaps", cut =>
            Assert.Equal("48", cut.FindAll("[data-testid='bitgrid-day']")[0].GetAttribute("data-count")));

    [Fact]
    public async Task A_large_user_id_is_kept_for_the_hour_the_page_says_not_a_day()
    {
        var cut = RenderPage();

        Assert.Contains("counts against your 16 MB share of the class's 64 MB of demo memory (Budgets:DemoMemoryPerLearnerMegabytes) and is kept for 60 minutes after its last write (Budgets:LargeDemoDataMinutes), not a day",
            RenderedText.Squash(cut.Find("[data-testid='large-data']").TextContent), StringComparison.Ordinal);
        InputIn(cut.Find("[data-testid='user-id']")).Input("10000000");
        cut.Find("[data-testid='setbit']").Click();

        cut.WaitForAssertion(() => Assert.Contains("EXPIRE", cut.Find("[data-testid='command-trace']").TextContent, StringComparison.Ordinal), Patience);
        var key = Me.Key("bitmaps", "logins", BitmapsDemoService.Day(DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.InRange((await Db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        Assert.Equal((BitmapsDemoService.MaxUserId / 8) + 1, Budget.SpentOf(BlazorRedis.Core.Budgets.BudgetKind.DemoMemory));
    }

    [Fact]
    public void Setbit_from_the_form_lights_that_users_square()
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='user-id']")).Input("7");
        cut.Find("[data-testid='setbit']").Click();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid='bitgrid-day']:last-child rect[data-user='7']").GetAttribute("data-bit")), Patience);
        Assert.Contains("SETBIT", cut.Find("[data-testid='command-trace']").TextContent, StringComparison.Ordinal);
    }
}

public class BitGridViewTests : MudTestContext
{
    [Fact]
    public void Draws_one_square_per_user_filled_where_the_bit_is_set()
    {
        var day = new DateOnly(2026, 11, 23);
        byte[] bytes = [0b1000_0001, 0, 0, 0, 0, 0, 0, 0];
        var grid = new BitGrid(64, [new BitGridDay(day, BitGrid.Decode(bytes, 64), bytes)]);

        var cut = Render<BitGridView>(p => p.Add(x => x.Grid, grid));

        Assert.Equal(64, cut.FindAll("rect[data-user]").Count);
        Assert.Equal(["0", "7"], cut.FindAll("rect[data-bit='1']").Select(r => r.GetAttribute("data-user")));
        Assert.Equal("2", cut.Find("[data-testid='bitgrid-day']").GetAttribute("data-count"));
        Assert.Contains("Mon 23 Nov", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_so_when_there_are_no_days()
    {
        var cut = Render<BitGridView>(p => p.Add(x => x.Grid, BitGrid.Empty));

        Assert.NotNull(cut.Find("[data-testid='bitgrid-empty']"));
    }
}
