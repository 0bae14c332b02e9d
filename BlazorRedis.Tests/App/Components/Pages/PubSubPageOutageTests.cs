using BlazorRedis.App.Components.Pages.PubSub;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Faults;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components.Pages;

/// <summary>The Pub/Sub page on a Redis of its own that the test stops and starts again.</summary>
public sealed class PubSubPageOutageTests : MudTestContext
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(20);
    private RestartableRedis _redis = null!;
    private ConnectionMultiplexer _mux = null!;
    private RedisPubSubService _service = null!;

    /// <summary>Starts the test's Redis and registers the page's services on a connection to it.</summary>
    private async Task StartAsync()
    {
        _redis = await RestartableRedis.StartAsync();
        var options = ConfigurationOptions.Parse(_redis.Configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 500;
        options.AsyncTimeout = 500;
        options.SyncTimeout = 500;
        _mux = await ConnectionMultiplexer.ConnectAsync(options);
        var tracer = new RedisTracer(_mux);
        var keys = new RedisKeyspace($"brtest:{Guid.NewGuid():N}:");
        var budget = new RedisCommandBudget(_mux, TimeSpan.FromMilliseconds(500));
        _service = new RedisPubSubService(_mux, keys, tracer, TimeProvider.System, Options.Create(new PubSubOptions()), budget);
        var limits = Options.Create(new RateLimitingOptions());
        Services.AddSingleton<IPubSubService>(_service);
        Services.AddSingleton(new PublishLimit(new RedisRateLimitService(_mux, tracer, keys, limits, NullLogger<RedisRateLimitService>.Instance, budget: budget), tracer, limits));
    }

    protected override void Dispose(bool disposing)
    {
        // The page first (it unsubscribes on the connection), then the connection and the server.
        base.Dispose(disposing);
        _mux?.Dispose();
        _redis?.Stop();
    }

    private static IReadOnlyList<string> States(IRenderedComponent<PubSub> cut) =>
        [.. cut.FindAll("[data-testid=panel-state]").Select(s => s.TextContent)];

    /// <summary>The server on which the client holds each default panel's subscription; null once it holds it no more.</summary>
    private IEnumerable<System.Net.EndPoint?> Held() =>
        new[] { RedisChannel.Literal(_service.ChannelPrefix + "orders.created"), RedisChannel.Pattern(_service.ChannelPrefix + "orders.*"), RedisChannel.Pattern(_service.ChannelPrefix + "payments.*") }
            .Select(c => _mux.GetSubscriber().SubscribedEndpoint(c.WithKeyRouting()));

    private async Task StopRedisAsync()
    {
        _redis.Stop();
        await WaitUntilAsync(() => !_mux.IsConnected);
    }

    private async Task StartRedisAsync()
    {
        await _redis.StartAgainAsync();
        await WaitUntilAsync(() => _mux.IsConnected);
    }

    /// <summary>Publishes on the app's connection once Redis answers again; the receivers PUBLISH counted.</summary>
    private async Task<long> ReceiversAsync(string channel) => (await _service.PublishAsync(channel, "count me")).Value.Receivers;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for the connection to change");
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Opening_the_page_while_redis_is_down_shows_every_default_panel_offline_and_try_again_restores_them()
    {
        await StartAsync();
        await StopRedisAsync();

        var cut = RenderWithProviders<PubSub>();

        cut.WaitForAssertion(() => Assert.Equal(["offline", "offline", "offline"], States(cut)), Wait);
        Assert.Equal(["orders.created", "orders.*", "payments.*"], cut.FindAll("[data-testid=panel]").Select(p => p.GetAttribute("data-name")));
        Assert.All(cut.FindAll("[data-testid=panel-error]"), e => Assert.Contains("Redis is unavailable", e.TextContent, StringComparison.Ordinal));
        Assert.Equal(3, cut.FindAll("[data-testid=panel-error]").Count);

        await StartRedisAsync();
        foreach (var name in new[] { "orders.created", "orders.*", "payments.*" })
        {
            await cut.Find($"[data-testid=panel][data-name='{name}'] [data-testid=retry]").ClickAsync(new());
            cut.WaitForAssertion(() => Assert.Equal("online", cut.Find($"[data-testid=panel][data-name='{name}'] [data-testid=panel-state]").TextContent), Wait);
        }

        Assert.Empty(cut.FindAll("[data-testid=panel-error]"));
        Assert.Equal(2, await ReceiversAsync("orders.created"));
        Assert.Equal(1, await ReceiversAsync("payments.settled"));
    }

    [Fact]
    public async Task Removing_a_panel_while_redis_is_down_keeps_it_until_its_unsubscribe_succeeds()
    {
        await StartAsync();
        var cut = RenderWithProviders<PubSub>();
        cut.WaitForAssertion(() => Assert.Equal(["online", "online", "online"], States(cut)), Wait);
        await StopRedisAsync();

        await cut.Find("[data-testid=panel][data-name='orders.created'] [data-testid=remove]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("still subscribed", cut.Find("[data-testid=panel][data-name='orders.created'] [data-testid=panel-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(3, cut.FindAll("[data-testid=panel]").Count);

        // Redis is back and the client subscribed everything it still holds again: the panel's channel among them.
        await StartRedisAsync();
        await WaitUntilAsync(() => ReceiversAsync("orders.created").GetAwaiter().GetResult() == 2);
        await cut.Find("[data-testid=panel][data-name='orders.created'] [data-testid=retry]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=panel]").Count), Wait);
        Assert.Equal(1, await ReceiversAsync("orders.created")); // orders.* alone
        await DisposeComponentsAsync();
        Assert.Equal(0, await ReceiversAsync("orders.created"));
    }

    [Fact]
    public async Task Closing_the_page_while_redis_is_down_releases_every_subscription_so_none_comes_back_with_redis()
    {
        await StartAsync();
        // Held outside the page: once Redis counts it again, the client has subscribed again all it still holds.
        var (handler, _) = Core.PubSub.RedisPubSubServiceTests.Inbox();
        await using var witness = (await _service.SubscribeAsync("witness", isPattern: false, handler)).Value;
        var cut = RenderWithProviders<PubSub>();
        cut.WaitForAssertion(() => Assert.Equal(["online", "online", "online"], States(cut)), Wait);
        await StopRedisAsync();

        await cut.Instance.DisposeAsync(); // the circuit goes: nothing may escape, and nothing may stay subscribed

        await StartRedisAsync();
        await WaitUntilAsync(() => ReceiversAsync("witness").GetAwaiter().GetResult() == 1);
        Assert.Equal(0, await ReceiversAsync("orders.created"));
        Assert.Equal(0, await ReceiversAsync("payments.settled"));
    }

    [Fact]
    public async Task Closing_the_page_while_redis_does_not_answer_releases_every_subscription_and_throws_nothing()
    {
        await StartAsync();
        var cut = RenderWithProviders<PubSub>();
        cut.WaitForAssertion(() => Assert.Equal(["online", "online", "online"], States(cut)), Wait);
        Assert.All(Held(), Assert.NotNull);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration + ",allowAdmin=true");
        // Redis stays connected but answers nothing (a hung or unreachable server): every UNSUBSCRIBE times out.
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");

        await cut.Instance.DisposeAsync(); // the circuit goes: nothing may escape, and nothing may stay subscribed

        await admin.GetDatabase().PingAsync(); // answered once the pause is over
        // The UNSUBSCRIBEs the client sent reach Redis late; none of the three subscriptions is kept.
        await WaitUntilAsync(() => ReceiversAsync("orders.created").GetAwaiter().GetResult() == 0);
        await WaitUntilAsync(() => ReceiversAsync("payments.settled").GetAwaiter().GetResult() == 0);
        Assert.All(Held(), Assert.Null); // and the client holds none of them: none is subscribed again on a reconnect
    }
}
