using BlazorRedis.App.Components.Pages.DataStructures.Lists;
using BlazorRedis.Core.Lists;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class ListsDemoPageTests : DemoPageTestContext
{
    public ListsDemoPageTests(RedisServerFixture redis)
        : base(redis) =>
        Services.AddSingleton<IListsDemo>(new ListsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor, TimeProvider.System));

    [Fact]
    public void Scenario_serves_jobs_first_in_first_out_and_caps_the_feed()
    {
        var cut = RenderDemo<ListsDemo>();

        Click(cut, "run-scenario");
        WaitForScenario(cut);

        var taken = cut.FindAll("[data-testid='taken-job']").Select(c => c.TextContent.Trim()).Reverse().ToList();
        Assert.StartsWith("worker-A ← email_signup", taken[0], StringComparison.Ordinal);
        Assert.StartsWith("worker-B ← send_notification", taken[1], StringComparison.Ordinal);
        Assert.StartsWith("worker-A ← resize_avatar", taken[2], StringComparison.Ordinal);
        Assert.StartsWith("worker-W ← generate_report", taken[3], StringComparison.Ordinal);
        Assert.Equal(5, cut.FindAll("[data-testid='activity-item']").Count);
        Assert.NotEmpty(cut.FindAll("[data-testid='queue-empty']"));
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("LPUSH", StringComparison.Ordinal));
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("RPOP", StringComparison.Ordinal));
    }

    // The failed command's "(error) not sent" row was recorded but never shown: the panel kept the previous push.
    [Fact]
    public async Task A_push_after_redis_went_away_shows_its_own_trace_with_the_command_not_sent()
    {
        await using var own = await PrivateRedis.StartAsync();
        await using var mux = await own.ConnectAsync(o => o.AbortOnConnectFail = false);
        Services.AddSingleton<IListsDemo>(new ListsDemoService(mux, new RedisTracer(mux), Keys, Janitor, TimeProvider.System));
        var cut = RenderDemo<ListsDemo>();
        Type(cut, "job-name", "first");
        Click(cut, "push-job");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='queue-box']")), Patience);

        own.Server.Dispose(); // Redis goes away
        // Polled: bUnit's WaitForAssertion checks again only when the page renders, and nothing renders here.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (mux.IsConnected && waited.Elapsed < Patience)
        {
            await Task.Delay(20, Xunit.TestContext.Current.CancellationToken);
        }

        Assert.False(mux.IsConnected);
        Type(cut, "job-name", "second");
        Click(cut, "push-job");

        cut.WaitForAssertion(() => Assert.Contains("unavailable", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Patience);
        var failed = Assert.Single(TraceRows(cut)); // its first command (LLEN, the room check) was not sent
        Assert.Contains("(error) not sent", failed.TextContent, StringComparison.Ordinal);
        Assert.Contains("Producer pushes a job", cut.Find("[data-testid=trace-operation]").TextContent, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal); // nothing ran before it
    }

    [Fact]
    public void Pushed_jobs_are_drawn_as_boxes_with_the_next_one_on_the_right()
    {
        var cut = RenderDemo<ListsDemo>();
        Type(cut, "job-name", "first");
        Click(cut, "push-job");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='queue-box']")), Patience);
        Type(cut, "job-name", "second");
        Click(cut, "push-job");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='queue-box']").Count), Patience);
        var boxes = cut.FindAll("[data-testid='queue-box']");
        Assert.EndsWith("second", boxes[0].TextContent.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("first", boxes[1].TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("br-list-next", boxes[1].ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void The_waiting_worker_picks_up_a_job_pushed_later()
    {
        var cut = RenderDemo<ListsDemo>();
        Click(cut, "wait-worker");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid='waiting-status']")), Patience);

        Type(cut, "job-name", "late_job");
        Click(cut, "push-job");

        cut.WaitForAssertion(() => Assert.Contains("worker-W ← late_job", cut.Find("[data-testid='taken-job']").TextContent, StringComparison.Ordinal), Patience);
        Assert.All(TraceRows(cut), r => Assert.DoesNotContain("BRPOP", r.TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blank_job_shows_a_message_and_writes_nothing()
    {
        var cut = RenderDemo<ListsDemo>();
        Type(cut, "job-name", "   ");

        Click(cut, "push-job");

        cut.WaitForAssertion(() => Assert.Contains("must not be empty", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(await AreaKeysAsync(ListsDemoService.Area));
    }

    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderDemo<ListsDemo>());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderDemo<ListsDemo>());
}
