using BlazorRedis.App.Components.Pages.DataStructures.HyperLogLog;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.HyperLogLog;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class HyperLogLogDemoPageTests(RedisServerFixture redis) : DemoPageTestContext(redis)
{
    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderPage());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderPage());

    private IRenderedComponent<HyperLogLogDemo> RenderPage() =>
        Loaded(RenderWithProviders<HyperLogLogDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero).Add(x => x.ScenarioSize, 10_000)));

    // A zero width space alone was counted as a new search term.
    [Fact]
    public async Task An_invisible_term_is_refused_naming_the_character_and_writes_nothing()
    {
        var cut = RenderPage();
        await cut.InvokeAsync(() => cut.Find("input[data-testid=term]").Input("\u200B"));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=pfadd]").Click());

        cut.WaitForAssertion(() => Assert.Contains("U+200B (zero width space)", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(0, await KeyCountAsync(HyperLogLogDemoModule.Slug));
    }

    [Fact]
    public async Task A_load_while_the_class_holds_its_budget_of_exact_sets_says_when_to_retry_and_writes_nothing()
    {
        var cut = RenderPage();
        using (var other = Budget.Start(BudgetKind.DemoMemory, "the-teacher", Budget.LimitOf(BudgetKind.DemoMemory), wholeClass: true))
        {
            other.HoldUntil(DateTimeOffset.UtcNow.AddMinutes(10));
        }

        await cut.InvokeAsync(() => cut.Find("button[data-testid=load]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Redis memory held by demo data", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("Try again in about", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await KeyCountAsync(HyperLogLogDemoModule.Slug));
    }

    [Fact]
    public void A_scenario_whose_step_is_refused_says_where_it_stopped_beside_the_reason()
    {
        var cut = RenderPage();
        using (var other = Budget.Start(BudgetKind.DemoMemory, "the-teacher", Budget.LimitOf(BudgetKind.DemoMemory), wholeClass: true))
        {
            other.HoldUntil(DateTimeOffset.UtcNow.AddMinutes(10));
        }

        cut.Find("[data-testid='run-scenario']").Click();

        // The third step (the day of searches) needs the class's demo memory, which the teacher's demo holds.
        cut.WaitForAssertion(() => Assert.StartsWith("Stopped at step 3 of 3 (A day of searches", cut.Find("[data-testid='narration']").TextContent.Trim(), StringComparison.Ordinal), Patience);
        Assert.EndsWith("Run the scenario again to start over.", cut.Find("[data-testid='narration']").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Redis memory held by demo data", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.False(cut.Find("[data-testid='run-scenario']").HasAttribute("disabled"));

        // The page kept step 2's trace, and its message could say "nothing was changed" after two steps had written.
        Assert.Contains("Steps 1–2 had already been applied", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        var operation = cut.Find("[data-testid=trace-operation]").TextContent;
        Assert.Contains("Scenario: ", operation, StringComparison.Ordinal);
        Assert.Contains("stopped at step 3 of 3", operation, StringComparison.Ordinal);
        Assert.Equal(2, TraceRows(cut).Count(r => r.TextContent.Contains("PFADD", StringComparison.Ordinal) && r.TextContent.Contains("redis tutorial", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_scenario_compares_pfcount_with_the_exact_count_and_their_memory()
    {
        var cut = RenderPage();

        cut.Find("[data-testid='run-scenario']").Click();

        WaitForScenario(cut);
        Assert.Equal("10,000", cut.Find("[data-testid='hll-exact']").TextContent.Trim());
        var estimate = long.Parse(cut.Find("[data-testid='hll-estimate']").TextContent.Trim().Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(estimate, 9_700, 10_300);
        Assert.Contains("Error:", cut.Find("[data-testid='hll-error']").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("[data-testid='trace-row']"));
    }

    [Fact]
    public async Task A_million_term_load_shows_progress_and_stops_when_asked()
    {
        ActAsTeacher(); // the million-term stream (61 MB) is more than a learner's share of demo memory
        var cut = RenderPage();
        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<int>>().Instance.ValueChanged.InvokeAsync(1_000_000));

        cut.Find("[data-testid='load']").Click();
        // Stop only once at least one batch reached Redis (progress counts what was sent), so the set is partly filled.
        cut.WaitForAssertion(() => Assert.Matches(@"Sending searches: [1-9][\d,]* of 1,500,000", cut.Find("[data-testid='hll-progress']").TextContent), Patience);
        cut.Find("[data-testid='stop']").Click();

        cut.WaitForAssertion(() => Assert.Contains("Stopped", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        var exact = await Db.SetLengthAsync(Me.Key("hyperloglog", "terms", "set"));
        Assert.InRange(exact, 1, 999_999);
        Assert.NotNull(await Db.KeyTimeToLiveAsync(Me.Key("hyperloglog", "terms", "set")));
        Assert.Empty(cut.FindAll("[data-testid='hll-progress']"));
    }

    [Fact]
    public async Task A_learner_cannot_pick_the_million_term_stream_and_a_load_of_it_is_refused_with_their_share_named()
    {
        var cut = RenderPage();

        var share = System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid='share']").TextContent, @"\s+", " ");
        Assert.Contains("Your exact set may take up to 16 MB of the class's 64 MB of demo memory", share, StringComparison.Ordinal);
        Assert.Contains("a bigger stream is for the teacher", share, StringComparison.Ordinal);
        var disabled = cut.FindComponents<MudBlazor.MudSelectItem<int>>().Where(i => i.Instance.Disabled).Select(i => i.Instance.Value);
        Assert.Equal([1_000_000], disabled);

        // Even if the value arrived anyway (a stale page, a crafted event), the budget refuses it and nothing is written.
        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<int>>().Instance.ValueChanged.InvokeAsync(1_000_000));
        cut.Find("[data-testid='load']").Click();
        cut.WaitForAssertion(() => Assert.Contains("One learner may hold at most 16 MB of large demo data", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(0, await KeyCountAsync(HyperLogLogDemoModule.Slug));
        Assert.Equal(0, Budget.SpentOf(BudgetKind.DemoMemory));
    }

    [Fact]
    public void The_teacher_may_pick_the_million_term_stream()
    {
        ActAsTeacher();
        var cut = RenderPage();

        Assert.Empty(cut.FindAll("[data-testid='share']"));
        var items = cut.FindComponents<MudBlazor.MudSelectItem<int>>();
        Assert.Equal(HyperLogLogDemoService.Sizes, items.Select(i => i.Instance.Value));
        Assert.All(items, item => Assert.False(item.Instance.Disabled));
    }

    [Fact]
    public async Task Reset_my_keys_gives_the_exact_sets_demo_memory_back_to_the_class()
    {
        var cut = RenderPage();
        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<int>>().Instance.ValueChanged.InvokeAsync(100_000));
        cut.Find("[data-testid='load']").Click();
        cut.WaitForAssertion(() => Assert.Equal("100,000", cut.Find("[data-testid='hll-exact']").TextContent.Trim()), Patience);
        Assert.Equal(100_000L * HyperLogLogDemoService.ExactSetBytesPerTerm, Budget.SpentOf(BudgetKind.DemoMemory)); // held until the set expires

        cut.Find("[data-testid='reset']").Click();

        cut.WaitForAssertion(() => Assert.Equal(0, Budget.SpentOf(BudgetKind.DemoMemory)), Patience);
        Assert.Equal(0, await KeyCountAsync(HyperLogLogDemoModule.Slug));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_term_shows_a_message_and_writes_nothing(string term)
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='term']")).Input(term);
        cut.Find("[data-testid='pfadd']").Click();

        cut.WaitForAssertion(() => Assert.Contains("Type a search term", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(0, await KeyCountAsync("hyperloglog"));
    }

    [Fact]
    public void Adding_a_term_counts_it_in_both()
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='term']")).Input("blazor tutorial");
        cut.Find("[data-testid='pfadd']").Click();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid='hll-exact']").TextContent.Trim()), Patience);
        Assert.Equal("1", cut.Find("[data-testid='hll-estimate']").TextContent.Trim());
        Assert.Contains("PFADD", cut.Find("[data-testid='command-trace']").TextContent, StringComparison.Ordinal);
    }
}

public class HllComparisonViewTests : MudTestContext
{
    [Fact]
    public void Shows_both_counts_the_error_and_how_much_more_memory_the_set_takes()
    {
        var comparison = new UniqueCountComparison(100_450, 100_000, 14_400, 5_760_000, 150_000);

        var cut = Render<HllComparisonView>(p => p.Add(x => x.Comparison, comparison));

        Assert.Equal("100,450", cut.Find("[data-testid='hll-estimate']").TextContent.Trim());
        Assert.Equal("100,000", cut.Find("[data-testid='hll-exact']").TextContent.Trim());
        Assert.Contains("+0.45 %", cut.Find("[data-testid='hll-error']").TextContent, StringComparison.Ordinal);
        Assert.Equal("400×", cut.Find("[data-testid='hll-ratio']").TextContent.Trim());
        Assert.Contains("width: 100%", cut.Find("[data-testid='set-bar']").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid='hll-progress']"));
    }

    [Fact]
    public void When_the_exact_set_has_expired_it_says_so_and_computes_no_error_or_ratio()
    {
        var comparison = new UniqueCountComparison(10_021, 0, 14_400, null);

        var cut = Render<HllComparisonView>(p => p.Add(x => x.Comparison, comparison));

        var text = cut.Find("[data-testid='hll-error']").TextContent;
        Assert.Contains("exact set has expired", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing counted yet", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Error:", text, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid='hll-ratio']"));
    }

    [Fact]
    public void Shows_progress_while_a_load_runs()
    {
        var cut = Render<HllComparisonView>(p => p.Add(x => x.Comparison, UniqueCountComparison.Empty).Add(x => x.Progress, new LoadProgress(500_000, 1_500_000)));

        Assert.Contains("500,000 of 1,500,000", cut.Find("[data-testid='hll-progress']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing counted yet", cut.Find("[data-testid='hll-error']").TextContent, StringComparison.Ordinal);
    }
}
