using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.Tests.App.Components.Caching;

/// <summary>
/// A number field that cannot convert what was typed says "Not a valid number" but keeps a value; a field with Min/Max
/// used to clamp silently (a price of -10 became 0.01, product id -5 became 1). On every caching page the action must
/// then show a message and do nothing: no database load, no change of latency, price or Redis keys.
/// </summary>
public class CachingNumberFieldTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static async Task ActAsync<T>(IRenderedComponent<T> cut, string field, string value, string button)
        where T : IComponent
    {
        await CacheAsideRaceTests.SetNumberAsync(cut, field, value);
        await cut.InvokeAsync(() => cut.Find($"button[data-testid={button}]").Click());
        cut.WaitForAssertion(() => Assert.False(string.IsNullOrWhiteSpace(cut.Find("[data-testid=form-error]").TextContent)), Patience);
    }

    [Fact]
    public async Task Latency_abc_is_refused_and_the_latency_stays()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 40);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        await ActAsync(cut, "latency-input", "abc", "set-latency");

        Assert.Contains("not a valid number", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(40), ctx.Database.Latency);
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("-99999999999999999999999")]
    public async Task Latency_beyond_an_int_says_the_range_not_not_a_valid_number_and_the_latency_stays(string latency)
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 40);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        await ActAsync(cut, "latency-input", latency, "set-latency");

        Assert.Contains("latency must be between 0 and 30000 ms", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(40), ctx.Database.Latency);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("abc")]
    public async Task A_bad_product_id_on_the_race_loads_nothing(string id)
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CacheAsideRace>();
        var loads = ctx.Database.Loads;

        await ActAsync(cut, "product-id", id, "race");

        Assert.Equal(loads, ctx.Database.Loads);
        Assert.Empty(cut.FindAll("[data-testid=trace-row]"));
    }

    [Fact]
    public async Task Stampede_with_abc_readers_runs_no_race()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<Stampede>();
        var loads = ctx.Database.Loads;

        await ActAsync(cut, "requests", "abc", "race-none");

        Assert.Contains("number of readers", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(loads, ctx.Database.Loads);
        Assert.Empty(cut.FindAll("[data-testid=bar-none]"));
    }

    // An emptied int field read as 0: the latency silently became 0 ms, the readers a range error about 0.
    [Fact]
    public async Task An_empty_latency_says_it_needs_a_number_and_the_latency_stays()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 40);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        await ActAsync(cut, "latency-input", "", "set-latency");

        Assert.Contains("latency is empty", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(40), ctx.Database.Latency);
    }

    [Fact]
    public async Task Stampede_with_empty_readers_says_it_needs_a_number_and_runs_no_race()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<Stampede>();
        var loads = ctx.Database.Loads;

        await ActAsync(cut, "requests", "", "race-none");

        Assert.Contains("number of readers is empty", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(loads, ctx.Database.Loads);
        Assert.Empty(cut.FindAll("[data-testid=bar-none]"));
    }

    [Fact]
    public async Task Libraries_race_with_empty_readers_says_it_needs_a_number_and_shows_no_result()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<CachingLibraries>();

        await ActAsync(cut, "readers", "", "race");

        Assert.Contains("number of readers is empty", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("p[data-testid^=race-]"));
    }

    // Found by bench/soak.sh: 0 readers reached the action budget first, which threw ArgumentOutOfRangeException
    // ("weight must be non-zero") into the page's error boundary instead of saying the allowed range.
    [Theory]
    [InlineData("0")]
    [InlineData("-7")]
    public async Task Stampede_with_zero_or_negative_readers_says_the_range_and_runs_no_race(string readers)
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<Stampede>();
        var loads = ctx.Database.Loads;

        await ActAsync(cut, "requests", readers, "race-none");

        Assert.Contains("between 1 and", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(loads, ctx.Database.Loads);
        Assert.Empty(cut.FindAll("[data-testid=bar-none]"));
    }

    [Theory]
    [InlineData("-10")]
    [InlineData("cheap")]
    public async Task A_bad_price_is_refused_and_the_product_keeps_its_price(string price)
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<WriteStrategies>();
        var before = ctx.Database.Peek(1)!.Price;

        await ActAsync(cut, "price", price, "write-through");

        Assert.Equal(before, ctx.Database.Peek(1)!.Price);
    }

    [Fact]
    public async Task A_load_run_with_abc_requests_does_not_start()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<LoadTest>();
        var loads = ctx.Database.Loads;

        await ActAsync(cut, "requests", "abc", "start-load");

        Assert.Equal(loads, ctx.Database.Loads);
    }

    [Fact]
    public async Task Invalidating_product_abc_deletes_nothing()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<Invalidation>();

        await ActAsync(cut, "key-id", "abc", "by-key");

        Assert.Contains("product id", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=outcome]"));
    }
}
