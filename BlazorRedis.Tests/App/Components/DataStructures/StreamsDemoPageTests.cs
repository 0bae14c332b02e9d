using BlazorRedis.App.Components.Pages.DataStructures.Streams;
using BlazorRedis.Core.Streams;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class StreamsDemoPageTests(RedisServerFixture redis) : DemoPageTestContext(redis)
{
    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderPage());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderPage());

    private IRenderedComponent<StreamsDemo> RenderPage() =>
        Loaded(RenderWithProviders<StreamsDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero)));

    [Fact]
    public void The_scenario_splits_readings_between_two_consumers_and_claims_the_dead_ones()
    {
        var cut = RenderPage();

        cut.Find("[data-testid='run-scenario']").Click();

        WaitForScenario(cut);
        Assert.Contains("alice got 4, bob got 4", cut.Find("[data-testid='narration']").TextContent, StringComparison.Ordinal);
        Assert.Contains("returned 5 readings", cut.Find("[data-testid='answer']").TextContent, StringComparison.Ordinal);
        Assert.Equal(10, cut.FindAll("[data-testid='stream-row']").Count);
        var chips = cut.FindAll("[data-testid='pending-chip']").Select(c => c.TextContent).ToList();
        Assert.Equal(4, chips.Count);
        Assert.All(chips, c => Assert.Contains("pending at alice · 2×", c, StringComparison.Ordinal));
        Assert.Equal("10", cut.Find("[data-testid='stream-chart']").GetAttribute("data-points"));
        Assert.Contains(cut.FindAll("[data-testid='trace-row']"), r => r.TextContent.Contains("XAUTOCLAIM", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("yesterday", "+")]
    [InlineData("-", "12-x")]
    public void A_malformed_xrange_bound_shows_a_message(string from, string to)
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='range-from']")).Input(from);
        InputIn(cut.Find("[data-testid='range-to']")).Input(to);
        cut.Find("[data-testid='xrange']").Click();

        cut.WaitForAssertion(() => Assert.Contains("is not a stream id", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public void A_learner_who_has_done_nothing_sees_no_error_row()
    {
        var cut = RenderPage();

        Assert.DoesNotContain(TraceRows(cut), r => r.TextContent.Contains("NOGROUP", StringComparison.Ordinal) || r.TextContent.Contains("(error)", StringComparison.Ordinal));
    }

    [Fact]
    public Task Closing_the_page_mid_scenario_stops_its_commands() =>
        AssertClosingMidScenarioStopsWritingAsync<StreamsDemo>("streams", cut =>
            Assert.Equal(10, cut.FindAll("[data-testid='stream-row']").Count));

    [Fact]
    public void A_malformed_xack_id_shows_a_message()
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='ack-ids']")).Input("1700000000000-0, oops");
        cut.Find("[data-testid='xack']").Click();

        cut.WaitForAssertion(() => Assert.Contains("\"oops\" is not a stream entry id", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
    }

    // On main a reading that is no number said only "must be a number", and a minimum idle time "must not be negative".
    [Theory]
    [InlineData("temperature", "abc", "xadd", "Temperature must be a number between -50 and 60 °C")]
    [InlineData("temperature", "1e309", "xadd", "Temperature must be a number between -50 and 60 °C")]
    [InlineData("humidity", "", "xadd", "Humidity must be a number between 0 and 100 %")]
    [InlineData("min-idle", "abc", "xautoclaim", "between 0 and 86,400,000 (24 hours)")]
    [InlineData("min-idle", "-1", "xautoclaim", "between 0 and 86,400,000 (24 hours)")]
    [InlineData("min-idle", "1.5", "xautoclaim", "between 0 and 86,400,000 (24 hours)")]
    public async Task A_number_field_that_holds_no_number_in_range_names_its_range_and_writes_nothing(string field, string value, string button, string message)
    {
        var cut = RenderPage();

        InputIn(cut.Find($"[data-testid='{field}']")).Input(value);
        cut.Find($"[data-testid='{button}']").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(0, await KeyCountAsync("streams"));
    }

    [Fact]
    public async Task An_impossible_reading_shows_a_message_and_writes_nothing()
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='humidity']")).Input("140");
        cut.Find("[data-testid='xadd']").Click();

        cut.WaitForAssertion(() => Assert.Contains("Humidity must be a number between 0 and 100", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(0, await KeyCountAsync("streams"));
    }

    [Fact]
    public async Task The_sensor_adds_a_reading_each_second_the_tail_shows_it_and_disposing_the_page_stops_it()
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='generator']")).Change(true);

        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid='stream-row']").Count >= 2), Patience);
        cut.WaitForAssertion(
            () =>
            {
                var status = cut.Find("[data-testid='live-status']").TextContent;
                Assert.Contains("XADD", status, StringComparison.Ordinal);
                Assert.Contains("XREAD", status, StringComparison.Ordinal);
            },
            Patience);

        await DisposeComponentsAsync();
        var key = Me.Key("streams", "sensor");
        await Task.Delay(1200, Xunit.TestContext.Current.CancellationToken);
        var before = await Db.StreamLengthAsync(key);
        await Task.Delay(2500, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(before, await Db.StreamLengthAsync(key));
    }
}

public class StreamVisualTests : MudTestContext
{
    private static readonly List<SensorEntry> Entries =
    [
        new("1700000000000-0", 24.0, 55.0),
        new("1700000001000-0", 24.3, 54.0),
        new("1700000002000-0", 23.9, 56.5),
    ];

    [Fact]
    public void The_chart_draws_one_point_per_reading_for_both_series()
    {
        var cut = Render<StreamChart>(p => p.Add(x => x.Entries, Entries));

        Assert.Equal("3", cut.Find("[data-testid='stream-chart']").GetAttribute("data-points"));
        Assert.Equal(3, cut.Find("[data-testid='stream-chart-temperature']").GetAttribute("points")!.Split(' ').Length);
        Assert.Equal(3, cut.Find("[data-testid='stream-chart-humidity']").GetAttribute("points")!.Split(' ').Length);
        Assert.Contains("22:13:20", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_waits_for_two_readings()
    {
        var cut = Render<StreamChart>(p => p.Add(x => x.Entries, Entries.Take(1).ToList()));

        Assert.NotNull(cut.Find("[data-testid='stream-chart-empty']"));
    }

    [Fact]
    public void The_table_lists_newest_first_and_marks_pending_entries()
    {
        var cut = Render<StreamTable>(p => p.Add(x => x.Entries, Entries).Add(x => x.Pending, [new PendingEntry("1700000001000-0", "bob", 1500, 1)]));

        var rows = cut.FindAll("[data-testid='stream-row']");
        Assert.Equal(["1700000002000-0", "1700000001000-0", "1700000000000-0"], rows.Select(r => r.GetAttribute("data-id")));
        Assert.Contains("pending at bob", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid='pending-chip']"));
        Assert.Contains("24.3 °C", rows[1].TextContent, StringComparison.Ordinal);
    }
}
