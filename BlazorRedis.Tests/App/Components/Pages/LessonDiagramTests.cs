using BlazorRedis.App.Components.Pages.Course;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.Pages;

/// <summary>The lesson diagram replays the real path of the learner's last action: real reads on the real Redis and a slow database.</summary>
public class LessonDiagramTests(RedisServerFixture redis) : MudTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_miss_draws_the_database_trip_between_get_and_set_and_a_hit_draws_one_short_arrow_to_redis()
    {
        await using var harness = CachingHarness.Create(redis, latencyMs: 40);
        var activity = new LearnerActivity();
        Services.AddSingleton(activity);
        var cut = RenderWithProviders<LessonDiagram>(p => p.Add(x => x.Diagram, "cache-aside"));
        Assert.Empty(cut.FindAll("[data-testid=diagram-run]"));

        var miss = await harness.Reader.GetAsync(3, cancellationToken: Xunit.TestContext.Current.CancellationToken);
        await cut.InvokeAsync(() => activity.Publish(miss.Trace)); // as TracedComponentBase does after any action

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=diagram-hop]")), Wait);
        var hops = cut.FindAll("[data-testid=diagram-hop]");
        Assert.Equal(["Redis", "Database", "Redis"], hops.Take(3).Select(h => h.GetAttribute("data-to")));
        Assert.Equal("GET", hops[0].QuerySelector("code")!.TextContent);
        Assert.Equal("read product 3", hops[1].QuerySelector("code")!.TextContent);
        Assert.StartsWith("SET", hops[2].QuerySelector("code")!.TextContent, StringComparison.Ordinal);
        var databaseMs = Ms(hops[1]);
        // The simulated database sleeps 40 ms (a timer: it may wake a little early); a hop without the sleep is well under 20.
        Assert.True(databaseMs > 20, $"the database trip was measured at {databaseMs} ms against a 40 ms database");
        // The label is the step's measured time, formatted as the trace panel formats times.
        Assert.Equal(CommandTracePanel.Ms(miss.Trace.Steps.Single().Elapsed), hops[1].QuerySelector("[data-testid=diagram-hop-time]")!.TextContent);
        Assert.Contains("app → database once", cut.Find("[data-testid=diagram-run]").TextContent, StringComparison.Ordinal);
        Assert.True(Rem(hops[1]) > Rem(hops[0]), "the slow database arrow is longer than the Redis one");

        var hit = await harness.Reader.GetAsync(3, cancellationToken: Xunit.TestContext.Current.CancellationToken);
        await cut.InvokeAsync(() => activity.Publish(hit.Trace));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=diagram-hop]")), Wait);
        var only = cut.Find("[data-testid=diagram-hop]");
        Assert.Equal("Redis", only.GetAttribute("data-to"));
        Assert.Equal("GET", only.QuerySelector("code")!.TextContent);
        Assert.DoesNotContain("database", cut.Find("[data-testid=diagram-run]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_behind_write_goes_to_the_stream_box_and_a_write_through_to_the_database_first()
    {
        await using var harness = CachingHarness.Create(redis, latencyMs: 20);
        var activity = new LearnerActivity();
        Services.AddSingleton(activity);
        Services.AddSingleton<BlazorRedis.Core.Caching.Labs.ICachingLabs>(new SharedLabOnly(harness.Labs.Shared));
        var behind = RenderWithProviders<LessonDiagram>(p => p.Add(x => x.Diagram, "write-behind"));
        var through = Render<LessonDiagram>(p => p.Add(x => x.Diagram, "write-through"));
        var input = new BlazorRedis.Core.Caching.Catalog.ProductInput { Name = "Desk", Category = "furniture", Price = 120m, Stock = 3 };

        var queued = await harness.WriteBehind.EnqueueAsync(2, input);
        await behind.InvokeAsync(() => activity.Publish(queued.Trace));
        behind.WaitForAssertion(() => Assert.NotEmpty(behind.FindAll("[data-testid=diagram-hop]")), Wait);
        Assert.All(behind.FindAll("[data-testid=diagram-hop]"), h => Assert.Equal("Redis stream", h.GetAttribute("data-to")));

        // The worker's half: once a worker pass applies the queued entry, its batch joins the diagram with measured times.
        await harness.WriteBehind.ProcessOnceAsync("diagram-test", Xunit.TestContext.Current.CancellationToken);
        behind.WaitForAssertion(() => Assert.Contains("The worker applied your write", behind.Find("[data-testid=diagram-worker]").TextContent, StringComparison.Ordinal), Wait);
        var worker = behind.FindAll("[data-testid=diagram-hop]").Where(h => h.QuerySelector(".br-diagram-from")!.TextContent == "Worker").ToList();
        Assert.Equal(["Database", "Redis stream"], worker.Select(h => h.GetAttribute("data-to")));
        Assert.True(Ms(worker[0]) > 10, "the batch's database round trip (20 ms database) is measured");

        var written = await harness.Writer.WriteThroughAsync(2, input, Xunit.TestContext.Current.CancellationToken);
        await through.InvokeAsync(() => activity.Publish(written.Trace));
        through.WaitForAssertion(() => Assert.True(through.FindAll("[data-testid=diagram-hop]").Count >= 2), Wait);
        var hops = through.FindAll("[data-testid=diagram-hop]");
        Assert.Equal("Database", hops[0].GetAttribute("data-to"));
        Assert.Equal("update product 2", hops[0].QuerySelector("code")!.TextContent);
        Assert.All(hops.Skip(1), h => Assert.Equal("Redis", h.GetAttribute("data-to")));
    }

    [Fact]
    public async Task A_scan_walk_folded_into_one_row_counts_every_call_and_says_how_many_on_its_arrow()
    {
        await using var harness = CachingHarness.Create(redis, latencyMs: 1);
        var activity = new LearnerActivity();
        Services.AddSingleton(activity);
        var cut = RenderWithProviders<LessonDiagram>(p => p.Add(x => x.Diagram, "cache-aside"));
        // Keys of another app on the same server: the walk under the lab's prefix takes several SCAN calls.
        var other = $"other-app-{Guid.NewGuid():N}:";
        var db = harness.Db;
        await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => db.StringSetAsync($"{other}{i}", "x")));
        try
        {
            var invalidated = await harness.Invalidation.InvalidatePatternAsync("product:*", Xunit.TestContext.Current.CancellationToken);
            var scan = invalidated.Trace.Commands.Single(c => c.Text.StartsWith("SCAN", StringComparison.Ordinal));
            Assert.True(scan.Calls > 1, $"the walk folded {scan.Calls} SCAN call(s) into its row");
            await cut.InvokeAsync(() => activity.Publish(invalidated.Trace));

            cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=diagram-hop]")), Wait);
            var calls = invalidated.Trace.Commands.Sum(c => c.Calls);
            Assert.Contains($"app → Redis {calls} times", cut.Find("[data-testid=diagram-run]").TextContent, StringComparison.Ordinal);
            var hop = cut.FindAll("[data-testid=diagram-hop]").First(h => h.QuerySelector("code")!.TextContent.StartsWith("SCAN", StringComparison.Ordinal));
            Assert.Equal($"SCAN × {scan.Calls}", hop.QuerySelector("code")!.TextContent);
            Assert.Equal(CommandTracePanel.Ms(scan.RoundTrip), hop.QuerySelector("[data-testid=diagram-hop-time]")!.TextContent);
        }
        finally
        {
            await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => db.KeyDeleteAsync($"{other}{i}")));
        }
    }

    [Fact]
    public void Steps_keep_their_place_among_the_commands_when_traces_are_combined()
    {
        var command = new TracedCommand("GET k", "await db.StringGetAsync(key);", TimeSpan.FromMilliseconds(1), [], "(nil)");
        var first = new OperationTrace("a", [command], TimeSpan.FromMilliseconds(5), DateTimeOffset.UnixEpoch) { Steps = [new("Database", "read", TimeSpan.FromMilliseconds(3), 1)] };
        var second = new OperationTrace("b", [command, command], TimeSpan.FromMilliseconds(5), DateTimeOffset.UnixEpoch) { Steps = [new("Database", "write", TimeSpan.FromMilliseconds(2), 0)] };

        var both = OperationTrace.Combine("both", first, second);

        Assert.Equal([1, 1], both.Steps.Select(s => s.AfterCommands));
        Assert.Equal(["read", "write"], both.Steps.Select(s => s.What));
    }

    private static double Ms(AngleSharp.Dom.IElement hop)
    {
        var text = hop.QuerySelector("[data-testid=diagram-hop-time]")!.TextContent;
        return double.Parse(text.Replace(" ms", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double Rem(AngleSharp.Dom.IElement hop)
    {
        var style = hop.QuerySelector(".br-diagram-arrow")!.GetAttribute("style")!;
        return double.Parse(style.Replace("width:", "", StringComparison.Ordinal).Replace("rem", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
