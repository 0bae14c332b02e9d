using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components.Caching;

/// <summary>The libraries lab page on the real test Redis (each test's lab on its own connection and keys).</summary>
public class CachingLibrariesPageTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static string Layer(IRenderedComponent<CachingLibraries> cut, string slug) =>
        cut.Find($"[data-testid=read-row-{slug}] [data-testid=layer]").TextContent.Trim();

    [Fact]
    public async Task Reading_twice_shows_the_database_then_memory_for_the_libraries_and_redis_for_ours()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();
        Assert.Contains("L1", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=read-all]").Click());
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid^=read-row-]").Count), Wait);
        Assert.All(new[] { "ours", "hybrid", "fusion" }, slug => Assert.Equal("Database", Layer(cut, slug)));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=read-hybrid]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Memory (L1)", Layer(cut, "hybrid")), Wait);
        Assert.Equal("none", cut.Find("[data-testid=read-row-hybrid] [data-testid=sent]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=trace-row] .br-wire")); // nothing went to Redis

        await cut.InvokeAsync(() => cut.Find("button[data-testid=read-ours]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Redis (L2)", Layer(cut, "ours")), Wait);
        Assert.Contains(cut.FindAll("[data-testid=trace-row]"), r => r.TextContent.Contains("GET ", StringComparison.Ordinal));
    }

    // "Read with all three" showed FusionCache's read only: each library's read replaced the trace of the one before.
    [Fact]
    public async Task Read_with_all_three_shows_every_librarys_commands_in_one_trace()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=read-all]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Read product 1 with all three", cut.Find("[data-testid=trace-operation]").TextContent, StringComparison.Ordinal), Wait);
        var rows = cut.FindAll("[data-testid=trace-row]").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("SETEX", StringComparison.Ordinal)); // ours: a miss, then SETEX
        Assert.Contains(rows, r => r.Contains("HybridCache.GetOrCreateAsync", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("FusionCache.GetOrSetAsync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_database_stopped_fusion_serves_the_last_good_value_and_ours_says_why_it_failed()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=read-all]").Click());
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid^=read-row-]").Count), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=expire-all]").Click());
        cut.WaitForAssertion(() => Assert.Contains("Expire product 1", cut.Find("[data-testid=trace-operation]").TextContent, StringComparison.Ordinal), Wait);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=database-stopped]").Change(true));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=read-all]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Fail-safe", Layer(cut, "fusion")), Wait);
        Assert.Equal("Failed", Layer(cut, "ours"));
        Assert.Equal("Failed", Layer(cut, "hybrid"));
        Assert.Contains("database is stopped", cut.Find("[data-testid=read-row-ours] [data-testid=failure]").TextContent, StringComparison.Ordinal);
        Assert.Contains("database is stopped", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_race_shows_one_load_for_each_library_and_for_our_lock_and_many_without_protection()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 50);
        var cut = ctx.RenderWithProviders<CachingLibraries>();
        await CacheAsideRaceTests.SetNumberAsync(cut, "readers", "200");
        var cachingLabLoads = ctx.Database.Loads;

        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid^=race-]").Count(e => e.TagName == "P")), Wait);
        Assert.Equal(cachingLabLoads, ctx.Database.Loads); // all four rows loaded the libraries lab's database, none the caching lab's
        var rows = cut.FindAll("p[data-testid^=race-]").Select(e => e.TextContent).ToList();
        Assert.Contains(rows, r => r.StartsWith("HybridCache: 1 database load", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("FusionCache: 1 database load", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("Our cache-aside with a Redis lock: 1 database load", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.StartsWith("Our cache-aside, no protection: 1 database load", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stale_window_shows_hybrid_and_fusion_alone_stale_and_the_backplane_not()
    {
        // L1 copies kept 4 s, not 1: node B must still hold its copy when A changes the product. On a loaded CI machine
        // B's read, the change and A's remove can take over a second, and then B's copy has expired and nothing is stale.
        await using var ctx = new CachingPageContext(redis, librariesMemorySeconds: 4);
        var cut = ctx.RenderWithProviders<CachingLibraries>();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=measure-stale]").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid=stale-fusion-backplane]"), Wait * 2); // two windows of up to 5 s each
        Assert.Contains("stale for", cut.Find("[data-testid=stale-hybrid]").TextContent, StringComparison.Ordinal);
        Assert.Contains("stale for", cut.Find("[data-testid=stale-fusion-alone]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=stale-progress]"));
    }

    [Fact]
    public async Task The_same_call_asked_twice_is_answered_from_the_cache()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=summarize]").Click());
        cut.WaitForAssertion(() => Assert.StartsWith("Computed", cut.Find("[data-testid=summary-how]").TextContent.Trim(), StringComparison.Ordinal), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=summarize]").Click());

        cut.WaitForAssertion(() => Assert.StartsWith("Answered from the cache", cut.Find("[data-testid=summary-how]").TextContent.Trim(), StringComparison.Ordinal), Wait);
        Assert.Contains("summarize:", cut.Find("[data-testid=summary-how]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalidating_by_tag_says_what_it_did_and_shows_what_went_to_redis()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=invalidate-fusion]").Click());

        cut.WaitForAssertion(() => Assert.Contains("the books tag", cut.Find("[data-testid=invalidated]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("RemoveByTagAsync", cut.Find("[data-testid=trace-table]").TextContent, StringComparison.Ordinal);
    }

    /// <summary>
    /// The reviewer's repro, on the real test Redis: both nodes read a product, B's L1 copy expires, node A invalidates
    /// its category's tag, and B reads again. What B answers must be what the page says it answers.
    /// </summary>
    [Theory]
    [InlineData(CacheLibrary.Hybrid, CacheLayer.Redis, "goes on answering the old entries")]
    [InlineData(CacheLibrary.Fusion, CacheLayer.Database, "the backplane tells node B")]
    [InlineData(CacheLibrary.HandWritten, CacheLayer.Database, "on either node loads the database")]
    public async Task After_node_a_invalidates_a_tag_node_b_answers_as_the_page_says(CacheLibrary library, CacheLayer onB, string said)
    {
        var memory = TimeSpan.FromSeconds(1);
        var own = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var lab = new LibrariesLab(own, redis.NewKeyspace().ForLearner(LearnerId.New()), memory, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(20));
        var id = Enumerable.Range(1, LibrariesLab.ProductCount).First(i => lab.Database.Peek(i)!.Category == "books");
        await lab.ReadAsync(library, id, lab.A, cancellationToken: Ct);
        await lab.ReadAsync(library, id, lab.B, cancellationToken: Ct);

        var count = (await lab.InvalidateCategoryAsync(library, "books", Ct)).Value;
        await Task.Delay(memory + TimeSpan.FromMilliseconds(500), Ct); // B's L1 copy has expired
        var b = await lab.ReadAsync(library, id, lab.B, cancellationToken: Ct);

        Assert.Equal(onB, b.Value.Layer);
        if (library == CacheLibrary.Hybrid)
        {
            // Node A knows of its own invalidation: the entry B was just served from Redis, A refuses.
            Assert.Equal(CacheLayer.Database, (await lab.ReadAsync(library, id, lab.A, cancellationToken: Ct)).Value.Layer);
        }
        var text = CachingLibraries.InvalidatedText(library, "books", count, 300);
        Assert.Contains(said, text, StringComparison.Ordinal);
        Assert.Equal(library == CacheLibrary.Hybrid, text.Contains("on node A only", StringComparison.Ordinal));

        // The page shows that very text.
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();
        await cut.InvokeAsync(() => cut.Find($"button[data-testid=invalidate-{CachingLibraries.Slug(library)}]").Click());
        cut.WaitForAssertion(() => Assert.Contains(said, cut.Find("[data-testid=invalidated]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Theory]
    [InlineData("product-id", "0", "read-all", "product number must be a whole number between 1 and 20")]
    [InlineData("product-id", "21", "read-hybrid", "product number must be a whole number between 1 and 20")]
    [InlineData("readers", "5000", "race", "from 2 to 1,000 readers")]
    [InlineData("summary-words", "500", "summarize", "number of words must be a whole number between 3 and 50")]
    public async Task Bad_input_says_why_and_shows_no_result(string field, string value, string button, string message)
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();
        await CacheAsideRaceTests.SetNumberAsync(cut, field, value);

        await cut.InvokeAsync(() => cut.Find($"button[data-testid={button}]").Click());

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid^=read-row-]"));
        Assert.Empty(cut.FindAll("p[data-testid^=race-]"));
        Assert.Empty(cut.FindAll("[data-testid=summary-result]"));
    }
}
