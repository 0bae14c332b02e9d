using BlazorRedis.App.Components.Pages.DataStructures.Strings;
using BlazorRedis.Core.Strings;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class StringsDemoPageTests : DemoPageTestContext
{
    public StringsDemoPageTests(RedisServerFixture redis)
        : base(redis) =>
        Services.AddSingleton<IStringsDemo>(new StringsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));

    [Fact]
    public void Scenario_issues_a_token_counts_a_thousand_concurrent_views_and_traces_the_commands()
    {
        var cut = RenderDemo<StringsDemo>();

        Click(cut, "run-scenario");
        WaitForScenario(cut);

        Assert.Equal("1,003", cut.Find("[data-testid='view-count']").TextContent.Trim());
        Assert.Contains("+1,000", cut.Find("[data-testid='burst-result']").TextContent, StringComparison.Ordinal);
        Assert.Contains("user_id:42", cut.Find("[data-testid='token-value']").TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("[data-testid='string-entry']"), r => r.TextContent.Contains("hello world", StringComparison.Ordinal));
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("SETEX", StringComparison.Ordinal));
        Assert.Contains("Scenario", cut.Find("[data-testid='trace-operation']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_countdown_reaches_zero_and_GET_then_shows_nil()
    {
        var cut = RenderDemo<StringsDemo>();
        Type(cut, "token-seconds", "1");

        Click(cut, "issue-token");

        cut.WaitForAssertion(() => Assert.Equal("(nil)", cut.Find("[data-testid='token-value']").TextContent.Trim()), Patience);
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("GET", StringComparison.Ordinal) && r.TextContent.Contains("(nil)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_with_a_line_break_shows_a_message_and_writes_nothing()
    {
        var cut = RenderDemo<StringsDemo>();
        Type(cut, "key-value", "a\r\nSET evil 1");

        Click(cut, "set");

        cut.WaitForAssertion(() => Assert.Contains("line breaks", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(await AreaKeysAsync(StringsDemoService.Area));
    }

    [Fact]
    public async Task An_MSET_line_without_equals_is_refused_before_anything_is_sent()
    {
        var cut = RenderDemo<StringsDemo>();
        Type(cut, "mset-lines", "color=blue\nnonsense");

        Click(cut, "mset");

        cut.WaitForAssertion(() => Assert.Contains("name=value", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(await AreaKeysAsync(StringsDemoService.Area));
    }

    [Fact]
    public void Set_then_strlen_shows_the_value_and_its_length()
    {
        var cut = RenderDemo<StringsDemo>();
        Type(cut, "key-name", "motto");
        Type(cut, "key-value", "fast");

        Click(cut, "set");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='string-entry']")), Patience);
        Click(cut, "strlen");

        cut.WaitForAssertion(() => Assert.Contains("4 bytes", cut.Find("[data-testid='strlen-result']").TextContent, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public void A_STRLEN_answer_is_cleared_when_a_later_SET_APPEND_or_MSET_changes_that_key()
    {
        var cut = RenderDemo<StringsDemo>();
        Type(cut, "key-name", "motto");
        Type(cut, "key-value", "fast");
        Click(cut, "set");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='string-entry']")), Patience);

        void Measure(string bytes)
        {
            Click(cut, "strlen");
            cut.WaitForAssertion(() => Assert.Contains(bytes, cut.Find("[data-testid='strlen-result']").TextContent, StringComparison.Ordinal), Patience);
        }

        void WaitFor(string operation) =>
            cut.WaitForAssertion(() => Assert.Contains(operation, cut.Find("[data-testid='trace-operation']").TextContent, StringComparison.Ordinal), Patience);

        Measure("4 bytes");
        Type(cut, "key-value", "!");
        Click(cut, "append");
        WaitFor("APPEND");
        Assert.Empty(cut.FindAll("[data-testid='strlen-result']"));

        Measure("5 bytes");
        Type(cut, "key-value", "much faster");
        Click(cut, "set");
        WaitFor("SET a value");
        Assert.Empty(cut.FindAll("[data-testid='strlen-result']"));

        Measure("11 bytes");
        Type(cut, "mset-lines", "motto=hi");
        Click(cut, "mset");
        WaitFor("MSET");
        Assert.Empty(cut.FindAll("[data-testid='strlen-result']"));
    }

    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderDemo<StringsDemo>());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderDemo<StringsDemo>());
}
