using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Faults;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components.Caching;

/// <summary>
/// The caching pages on the shared database (<c>ScaleOut:SharedDatabase</c>, "the database" in Redis) while that Redis
/// is stopped: each page opens, and its first action says Redis is unavailable instead of ending the circuit.
/// </summary>
public class CachingPagesRedisDownTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>Each page and the button that makes it read or write the database.</summary>
    public static TheoryData<string, string> PageActions => new()
    {
        { nameof(WriteStrategies), "write-through" },
        { nameof(Invalidation), "warm" },
        { nameof(Stampede), "race-none" },
        { nameof(LoadTest), "start-load" },
        { nameof(CacheAsideRace), "set-latency" },
        { nameof(CacheAsideRace), "write" },
    };

    [Theory]
    [MemberData(nameof(PageActions))]
    public async Task A_page_on_the_shared_database_with_redis_stopped_opens_and_says_redis_is_unavailable(string page, string button)
    {
        await using var stopped = await RestartableRedis.StartAsync();
        var options = ConfigurationOptions.Parse(stopped.Configuration);
        options.AbortOnConnectFail = false;
        await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
        await WaitDisconnectedAsync(mux, stopped);
        await using var ctx = new CachingPageContext(redis, sharedDatabase: true, mux: mux);
        ctx.Status.Publish(FakeStatusSource.Down());

        await (page switch
        {
            nameof(WriteStrategies) => OpenAndPressAsync<WriteStrategies>(ctx, button),
            nameof(Invalidation) => OpenAndPressAsync<Invalidation>(ctx, button),
            nameof(Stampede) => OpenAndPressAsync<Stampede>(ctx, button),
            nameof(LoadTest) => OpenAndPressAsync<LoadTest>(ctx, button),
            _ => OpenAndPressAsync<CacheAsideRace>(ctx, button),
        });
        Assert.False(mux.IsConnected);
    }

    private static async Task OpenAndPressAsync<TPage>(CachingPageContext ctx, string button)
        where TPage : IComponent
    {
        var cut = ctx.RenderWithProviders<TPage>();
        Assert.NotEmpty(cut.FindAll("[data-testid=page-title]"));

        await cut.InvokeAsync(() => cut.Find($"button[data-testid={button}]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Redis is unavailable", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
    }

    /// <summary>Stops the server and waits until the multiplexer has noticed (a guard, not a deadline).</summary>
    internal static async Task WaitDisconnectedAsync(IConnectionMultiplexer mux, RestartableRedis server)
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        mux.ConnectionFailed += (_, _) => lost.TrySetResult();
        server.Stop();
        if (mux.IsConnected)
        {
            await lost.Task.WaitAsync(TimeSpan.FromSeconds(30), Xunit.TestContext.Current.CancellationToken);
        }

        Assert.False(mux.IsConnected);
    }
}
