using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.Tests.App.Components.Caching;

/// <summary>
/// The caching pages read and write "the database" only through its asynchronous members: on the shared database
/// (<c>ScaleOut:SharedDatabase</c>) a synchronous one blocks the circuit's thread on Redis. The database here refuses
/// every synchronous member, so a page (or a Core service under it) that still calls one ends in an exception.
/// </summary>
public class CachingPagesAsyncDatabaseTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>Each page, a button, and what the page shows once that action finished.</summary>
    public static TheoryData<string, string, string> PageActions => new()
    {
        { nameof(WriteStrategies), "write-through", "outcome" },
        { nameof(WriteStrategies), "write-behind", "outcome" },
        { nameof(Invalidation), "warm", "outcome" },
        { nameof(Stampede), "race-lock", "loads-lock" },
        { nameof(LoadTest), "start-load", "result-completed" },
        { nameof(CacheAsideRace), "race", "source-cached" },
        { nameof(CacheAsideRace), "write", "invalidation" },
        { nameof(CacheAsideRace), "set-latency", "latency-now" },
    };

    [Theory]
    [MemberData(nameof(PageActions))]
    public async Task A_page_opens_and_acts_without_a_synchronous_database_call(string page, string button, string shown)
    {
        var database = new AsyncOnlyDatabase(new InMemoryProductDatabase(100, TimeSpan.FromMilliseconds(2)));
        await using var ctx = new CachingPageContext(redis, harness: CachingHarness.Create(redis, database: database));

        await (page switch
        {
            nameof(WriteStrategies) => OpenAndPressAsync<WriteStrategies>(ctx, button, shown),
            nameof(Invalidation) => OpenAndPressAsync<Invalidation>(ctx, button, shown),
            nameof(Stampede) => OpenAndPressAsync<Stampede>(ctx, button, shown),
            nameof(LoadTest) => OpenAndPressAsync<LoadTest>(ctx, button, shown),
            _ => OpenAndPressAsync<CacheAsideRace>(ctx, button, shown),
        });
    }

    private static async Task OpenAndPressAsync<TPage>(CachingPageContext ctx, string button, string shown)
        where TPage : IComponent
    {
        var cut = ctx.RenderWithProviders<TPage>();
        if (button == "start-load")
        {
            await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "50");
        }

        await cut.InvokeAsync(() => cut.Find($"button[data-testid={button}]").Click());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"[data-testid={shown}]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
    }

    /// <summary>Forwards the asynchronous members and refuses the synchronous ones (re-implemented, so the interface finds these).</summary>
    private sealed class AsyncOnlyDatabase(IProductDatabase inner) : DelegatingProductDatabase(inner), IProductDatabase
    {
        TimeSpan IProductDatabase.Latency => throw Blocking(nameof(IProductDatabase.Latency));

        int IProductDatabase.Count => throw Blocking(nameof(IProductDatabase.Count));

        IReadOnlyList<string> IProductDatabase.Categories => throw Blocking(nameof(IProductDatabase.Categories));

        IReadOnlyList<string> IProductDatabase.AppliedWriteIds => throw Blocking(nameof(IProductDatabase.AppliedWriteIds));

        void IProductDatabase.SetLatency(TimeSpan latency) => throw Blocking(nameof(IProductDatabase.SetLatency));

        bool IProductDatabase.Contains(int id) => throw Blocking(nameof(IProductDatabase.Contains));

        Product? IProductDatabase.Peek(int id) => throw Blocking(nameof(IProductDatabase.Peek));

        private static InvalidOperationException Blocking(string member) =>
            new($"IProductDatabase.{member} was called on a circuit: on the shared database it blocks the thread on Redis.");
    }
}
