using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using MudBlazor;

namespace BlazorRedis.Tests.App.Components.Caching;

/// <summary>
/// The caching pages on real labs: a learner's latency, worker pause and pattern invalidation change their own lab
/// only (not the shared catalog the REST API serves, not another learner's); the teacher's browser runs on the shared one.
/// </summary>
public class CachingLabPagesTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_learners_latency_is_their_own_labs_and_the_page_says_so()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 40, realLabs: true);
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        Assert.Contains("Your own lab", cut.Find("[data-testid=lab-scope]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=teacher-only]"));
        await CacheAsideRaceTests.SetNumberAsync(cut, "latency-input", "300");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=set-latency]").Click());

        using var mine = ctx.Harness.Labs.Open(ctx.Learner.Id, teacher: false);
        using var other = ctx.Harness.Labs.Open(LearnerId.New(), teacher: false);
        Assert.Equal(TimeSpan.FromMilliseconds(300), mine.Lab.Database.Latency);
        Assert.Contains("300 ms", cut.Find("[data-testid=latency-now]").TextContent, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(40), ctx.Database.Latency); // the shared catalog
        Assert.Equal(TimeSpan.FromMilliseconds(40), other.Lab.Database.Latency);
        Assert.StartsWith(ctx.Harness.Keyspace.ForLearner(ctx.Learner.Id).Prefix, mine.Lab.Keys.Root, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_teachers_page_runs_on_the_shared_catalog()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 40, realLabs: true);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        Assert.Contains("The shared catalog", cut.Find("[data-testid=lab-scope]").TextContent, StringComparison.Ordinal);
        await CacheAsideRaceTests.SetNumberAsync(cut, "latency-input", "120");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=set-latency]").Click());

        Assert.Equal(TimeSpan.FromMilliseconds(120), ctx.Database.Latency);
        Assert.Equal(0, ctx.Harness.Labs.Count);
    }

    [Fact]
    public async Task A_learner_pauses_their_own_worker_and_their_writes_wait_while_the_shared_worker_runs()
    {
        await using var ctx = new CachingPageContext(redis, realLabs: true);
        var cut = ctx.RenderWithProviders<WriteStrategies>();
        var toggle = cut.FindComponent<MudSwitch<bool>>();
        await cut.InvokeAsync(() => toggle.Instance.ValueChanged.InvokeAsync(true));

        using var mine = ctx.Harness.Labs.Open(ctx.Learner.Id, teacher: false);
        Assert.True(mine.Lab.WriteBehind.Paused);
        Assert.False(ctx.Harness.WriteBehind.Paused);
        var before = mine.Lab.Database.Peek(1)!.Stock;
        var shared = ctx.Database.Peek(1)!.Stock;
        await mine.Lab.WriteBehind.EnqueueAsync(1, new ProductInput { Name = "Held", Price = 1, Category = "toys", Stock = before + 5 });
        cut.WaitForAssertion(() => Assert.Contains("Paused by you", cut.Find("[data-testid=paused-by]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(before, mine.Lab.Database.Peek(1)!.Stock);
        Assert.Equal(1, mine.Lab.UnappliedWrites);

        await cut.InvokeAsync(() => toggle.Instance.ValueChanged.InvokeAsync(false));
        cut.WaitForAssertion(() => Assert.Equal(before + 5, mine.Lab.Database.Peek(1)!.Stock), Wait);
        Assert.Equal(shared, ctx.Database.Peek(1)!.Stock); // the shared row was never written
    }

    [Fact]
    public async Task A_learners_pattern_invalidation_deletes_their_copies_only()
    {
        await using var ctx = new CachingPageContext(redis, realLabs: true);
        // The shared catalog and another learner have cached copies of their own.
        await ctx.Harness.Reader.GetAsync(1, cancellationToken: Ct);
        using var other = ctx.Harness.Labs.Open(LearnerId.New(), teacher: false);
        await other.Lab.Reader.GetAsync(1, cancellationToken: Ct);
        var cut = ctx.RenderWithProviders<Invalidation>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=warm]").Click());
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=cached-key]").Count >= 24), Wait);
        using var mine = ctx.Harness.Labs.Open(ctx.Learner.Id, teacher: false);
        Assert.All(cut.FindAll("[data-testid=cached-key] code"), k => Assert.StartsWith(mine.Lab.Keys.Root, k.TextContent, StringComparison.Ordinal));

        cut.Find("input[data-testid=pattern], [data-testid=pattern] input").Change("*");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=by-pattern]").Click());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=cached-key]")), Wait);
        Assert.True(await ctx.Harness.Db.KeyExistsAsync(ctx.Harness.CacheKeys.Product(1)));
        Assert.True(await ctx.Harness.Db.KeyExistsAsync(other.Lab.Keys.Product(1)));
        Assert.False(await ctx.Harness.Db.KeyExistsAsync(mine.Lab.Keys.Product(1)));
    }

    [Fact]
    public async Task With_every_lab_in_use_each_caching_page_shows_what_is_full_and_what_to_do_in_place_of_its_lab()
    {
        var harness = CachingHarness.Create(redis, settings: new Dictionary<string, string?> { ["Caching:MaxLabs"] = "1" });
        await using var ctx = new CachingPageContext(redis, harness: harness, realLabs: true);
        using var other = ctx.Harness.Labs.Open(LearnerId.New(), teacher: false); // another learner's page holds the one lab

        AssertRefused(ctx.RenderWithProviders<CacheAsideRace>()); // the others without a second popover provider
        AssertRefused(ctx.RenderWithProviders<Invalidation>(popoverProvider: false));
        AssertRefused(ctx.RenderWithProviders<WriteStrategies>(popoverProvider: false));
        AssertRefused(ctx.RenderWithProviders<Stampede>(popoverProvider: false));
        AssertRefused(ctx.RenderWithProviders<LoadTest>(popoverProvider: false));
        Assert.Equal(1, ctx.Harness.Labs.Count);

        // Once that learner closes their pages, the next page gets a lab of its own.
        other.Dispose();
        var cut = ctx.RenderWithProviders<CacheAsideRace>(popoverProvider: false);
        Assert.Contains("Your own lab", cut.Find("[data-testid=lab-scope]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=labs-full]"));
    }

    private static void AssertRefused<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var note = cut.Find("[data-testid=labs-full]").TextContent;
        Assert.Contains("Every caching lab is in use", note, StringComparison.Ordinal);
        Assert.Contains("at most 1 learner's lab (Caching:MaxLabs)", note, StringComparison.Ordinal);
        Assert.Contains("ask the teacher to raise Caching:MaxLabs", note, StringComparison.Ordinal);
        Assert.Equal("No caching lab free", cut.Find("[data-testid=page-title]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=lab-scope]"));
        Assert.Empty(cut.FindAll("[data-testid=controls]"));
    }
}
