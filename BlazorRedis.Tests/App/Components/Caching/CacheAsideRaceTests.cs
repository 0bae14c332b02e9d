using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Faults;
using BlazorRedis.Tests.Infrastructure;
using BlazorRedis.Tests.Infrastructure.Chaos;
using Bunit;

namespace BlazorRedis.Tests.App.Components.Caching;

public class CacheAsideRaceTests(RedisServerFixture redis)
{
    /// <summary>True to run every test on the database in Redis (<c>ScaleOut:SharedDatabase</c>) instead of in memory.</summary>
    protected virtual bool SharedDatabase => false;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Racing_twice_shows_database_then_cache_on_the_cached_lane()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var cut = ctx.RenderWithProviders<CacheAsideRace>();
        Assert.Contains("Cache-aside", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());
        cut.WaitForAssertion(() => Assert.Equal("database", cut.Find("[data-testid=source-cached]").GetAttribute("data-source")), Wait);
        Assert.Equal("database", cut.Find("[data-testid=source-uncached]").GetAttribute("data-source"));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());
        cut.WaitForAssertion(() => Assert.Equal("cache", cut.Find("[data-testid=source-cached]").GetAttribute("data-source")), Wait);
        Assert.Equal("database", cut.Find("[data-testid=source-uncached]").GetAttribute("data-source"));
        Assert.Contains("s left", cut.Find("[data-testid=ttl]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("[data-testid=trace-row]"));
    }

    [Fact]
    public async Task The_write_button_shows_the_invalidation_and_drops_the_copy()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var cut = ctx.RenderWithProviders<CacheAsideRace>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=source-cached]"), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=write]").Click());

        cut.WaitForAssertion(() => Assert.Contains("UNLINK removed 1", cut.Find("[data-testid=invalidation]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("Not cached", cut.Find("[data-testid=ttl]").TextContent, StringComparison.Ordinal);
        Assert.Equal(1, ctx.Database.Writes);
    }

    [Fact]
    public async Task A_write_whose_invalidation_fails_says_the_database_changed_and_the_delete_is_retried()
    {
        var chaos = new ChaosOptions();
        var database = new FailAfterWriteDatabase(new InMemoryProductDatabase(100, TimeSpan.FromMilliseconds(5)), () => chaos.ErrorProbability = 1);
        await using var ctx = new CachingPageContext(redis, harness: CachingHarness.Create(redis, mux: ChaosRedis.Wrap(redis.Multiplexer, chaos), database: database));
        var cut = ctx.RenderWithProviders<CacheAsideRace>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=source-cached]"), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=write]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Redis failed before UNLINK", cut.Find("[data-testid=invalidation]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("retries the delete", cut.Find("[data-testid=invalidation]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        Assert.Equal(1, ctx.Database.Writes);
    }

    [Fact]
    public async Task With_Redis_down_the_race_shows_both_lanes_from_the_database_and_says_only_that_the_TTL_could_not_be_read()
    {
        var chaos = new ChaosOptions { ErrorProbability = 1 };
        await using var ctx = new CachingPageContext(redis, harness: CachingHarness.Create(redis, mux: ChaosRedis.Wrap(redis.Multiplexer, chaos)));
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());

        cut.WaitForAssertion(() => Assert.Equal("database", cut.Find("[data-testid=source-cached]").GetAttribute("data-source")), Wait);
        Assert.Equal("database", cut.Find("[data-testid=source-uncached]").GetAttribute("data-source"));
        Assert.Empty(cut.FindAll("[data-testid=form-error]")); // it said "nothing was changed" beside two finished reads
        Assert.Contains("the time left could not be read", cut.Find("[data-testid=ttl]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("[data-testid=trace-row]"));

        chaos.Reset();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());
        cut.WaitForAssertion(() => Assert.Contains("s left", cut.Find("[data-testid=ttl]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task The_latency_control_changes_the_database_live()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        await SetNumberAsync(cut, "latency-input", "250");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=set-latency]").Click());

        cut.WaitForAssertion(() => Assert.Contains("250 ms", cut.Find("[data-testid=latency-now]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(TimeSpan.FromMilliseconds(250), ctx.Database.Latency);
    }

    [Fact]
    public async Task A_missing_product_is_reported_not_crashed()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        await ctx.Database.DeleteAsync(5, Xunit.TestContext.Current.CancellationToken);
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        await SetNumberAsync(cut, "product-id", "5");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=race]").Click());

        cut.WaitForAssertion(() => Assert.Contains("no product 5", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
    }

    internal static async Task SetNumberAsync<T>(IRenderedComponent<T> cut, string testId, string value)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        await cut.InvokeAsync(() => cut.Find($"input[data-testid={testId}]").Change(value));
        await cut.InvokeAsync(() => cut.Find($"input[data-testid={testId}]").Blur());
    }

    [Fact]
    public async Task Source_badge_names_the_source()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);

        var cache = ctx.Render<SourceBadge>(p => p.Add(b => b.Source, ReadSource.Cache));
        var db = ctx.Render<SourceBadge>(p => p.Add(b => b.Source, ReadSource.Database).Add(b => b.TestId, "x"));

        Assert.Equal("cache", cache.Find("[data-testid=source]").TextContent.Trim());
        Assert.Contains("mud-chip-color-success", cache.Markup, StringComparison.Ordinal);
        Assert.Equal("database", db.Find("[data-testid=x]").GetAttribute("data-source"));
        Assert.Contains("mud-chip-color-warning", db.Markup, StringComparison.Ordinal);
    }
}

/// <summary>The same page tests on the database in Redis (<c>ScaleOut:SharedDatabase</c>), as a fleet runs them.</summary>
public sealed class CacheAsideRaceOnSharedDatabaseTests(RedisServerFixture redis) : CacheAsideRaceTests(redis)
{
    protected override bool SharedDatabase => true;
}
