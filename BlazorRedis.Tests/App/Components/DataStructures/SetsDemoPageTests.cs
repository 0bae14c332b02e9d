using BlazorRedis.App.Components.Pages.DataStructures.Sets;
using BlazorRedis.Core.Sets;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class SetsDemoPageTests : DemoPageTestContext
{
    public SetsDemoPageTests(RedisServerFixture redis)
        : base(redis) =>
        Services.AddSingleton<ISetsDemo>(new SetsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));

    [Fact]
    public void Scenario_tags_both_posts_and_draws_them_in_the_venn_regions()
    {
        var cut = RenderDemo<SetsDemo>();

        Click(cut, "run-scenario");
        WaitForScenario(cut);

        string[] Region(string region) => cut.FindAll($"[data-testid='venn-tag'][data-region='{region}']").Select(t => t.TextContent).Order().ToArray();
        Assert.Equal(["caching", "performance"], Region("first"));
        Assert.Equal(["python", "redis"], Region("both"));
        Assert.Equal(["data-structures", "tutorial"], Region("second"));
        Assert.Equal("all", cut.Find("[data-testid='venn-shade']").GetAttribute("data-region"));
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("SINTER", StringComparison.Ordinal));
    }

    [Fact]
    public void SINTER_shades_the_overlap_and_lists_the_common_tags()
    {
        var cut = RenderDemo<SetsDemo>();
        Type(cut, "tags", "redis, caching");
        Click(cut, "sadd-1");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='venn-tag']").Count), Patience);
        Type(cut, "tags", "redis, streams");
        Click(cut, "sadd-2");
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid='venn-tag']").Count), Patience);

        Click(cut, "sinter");

        cut.WaitForAssertion(() => Assert.Contains("→ redis", cut.Find("[data-testid='comparison-result']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal("both", cut.Find("[data-testid='venn-shade']").GetAttribute("data-region"));
    }

    [Fact]
    public async Task A_tag_with_a_line_break_shows_a_message_and_writes_nothing()
    {
        var cut = RenderDemo<SetsDemo>();
        Type(cut, "tags", "ok, bad\u0007tag");

        Click(cut, "sadd-1");

        cut.WaitForAssertion(() => Assert.Contains("control characters", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(await AreaKeysAsync(SetsDemoService.Area));
    }

    [Fact]
    public async Task Reset_deletes_this_learners_tags_and_empties_the_diagram()
    {
        var cut = RenderDemo<SetsDemo>();
        Click(cut, "sadd-1");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='venn-tag']").Count), Patience);
        Assert.NotEmpty(await AreaKeysAsync(SetsDemoService.Area));

        Click(cut, "reset");

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='venn-tag']")), Patience);
        Assert.Empty(await AreaKeysAsync(SetsDemoService.Area));
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("UNLINK", StringComparison.Ordinal));
    }

    [Fact]
    public void A_SISMEMBER_answer_is_cleared_when_a_later_SREM_or_SADD_changes_the_post()
    {
        var cut = RenderDemo<SetsDemo>();
        Type(cut, "tags", "redis, caching");
        Click(cut, "sadd-1");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='venn-tag']").Count), Patience);
        Type(cut, "tag", "redis");
        Click(cut, "sismember-1");
        cut.WaitForAssertion(() => Assert.Contains("yes", cut.Find("[data-testid='ismember-result']").TextContent, StringComparison.Ordinal), Patience);

        Click(cut, "srem-1");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='venn-tag']")), Patience);
        Assert.Empty(cut.FindAll("[data-testid='ismember-result']"));

        Click(cut, "sismember-1");
        cut.WaitForAssertion(() => Assert.Contains("no such tag", cut.Find("[data-testid='ismember-result']").TextContent, StringComparison.Ordinal), Patience);
        Type(cut, "tags", "redis");
        Click(cut, "sadd-1");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='venn-tag']").Count), Patience);
        Assert.Empty(cut.FindAll("[data-testid='ismember-result']"));
    }

    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderDemo<SetsDemo>());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderDemo<SetsDemo>());
}
