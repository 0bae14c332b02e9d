using BlazorRedis.App.Classroom;
using BlazorRedis.App.Components.Layout;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Tests.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>A learner's circuit keeps their presence, page and last action on the teacher's roster, on a real Redis.</summary>
public sealed class ClassPresenceTests : MudTestContext
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    private readonly ClassService _classes;
    private readonly ClassPresenceState _state;
    private readonly ClassLeaderboard _board;

    public ClassPresenceTests(RedisServerFixture redis)
    {
        _classes = ClassTestKit.NewService(redis);
        _board = new ClassLeaderboard(_classes, redis.Tracer);
        _state = new ClassPresenceState(_classes, NullLogger<ClassPresenceState>.Instance, TimeProvider.System);
        Services.AddSingleton(_classes);
        Services.AddSingleton(_state);
        Services.AddSingleton(Options.Create(new ClassOptions()));
    }

    private async Task<(string Code, RosterEntry? Me)> MyEntryAsync(string code) =>
        (code, (await _classes.GetRosterAsync(code)).Value.SingleOrDefault(e => e.Learner == Learner.Id.Value));

    [Fact]
    public async Task A_class_member_is_online_on_the_page_they_are_on_and_their_last_action_reaches_the_roster()
    {
        var code = (await _classes.OpenAsync()).Value.Code;
        await _classes.JoinAsync(code, "Ada", Learner.Id, ClassTestKit.Client());
        var nav = Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo("/caching/stampede");

        RenderWithProviders<ClassPresence>();

        await WaitForAsync(async () => (await MyEntryAsync(code)).Me is { LastSeen: not null, Page: "/caching/stampede" });
        nav.NavigateTo("/sessions?x=1");
        await WaitForAsync(async () => (await MyEntryAsync(code)).Me?.Page == "/sessions");
        Assert.NotNull(_state.Membership);

        _state.ReportAction("Log in");
        _state.ReportAction("Log in again");
        await WaitForAsync(async () => (await MyEntryAsync(code)).Me?.LastAction == "Log in");
        await Task.Delay(300, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal("Log in", (await MyEntryAsync(code)).Me?.LastAction);

        // The burst's last action was held, not dropped: it reaches the roster when the gap ends.
        await WaitForAsync(async () => (await MyEntryAsync(code)).Me?.LastAction == "Log in again");
    }

    [Fact]
    public async Task A_burst_reported_as_two_writes_still_scores_every_action_on_the_leaderboard()
    {
        var code = (await _classes.OpenAsync()).Value.Code;
        _state.Membership = (await _classes.JoinAsync(code, "Ada", Learner.Id, ClassTestKit.Client())).Value;
        for (var i = 0; i < 5; i++)
        {
            _state.ReportAction("Read product " + i);
        }

        // The first action is reported at once (1 point), the four held ones together when the 2-second gap ends (4 points).
        await WaitForAsync(async () => (await _board.RankAsync(code, Learner.Id.Value)).Value?.Score == 5);
        await Task.Delay(ClassPresenceState.MinActionGap + TimeSpan.FromMilliseconds(500), Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(5, (await _board.RankAsync(code, Learner.Id.Value)).Value!.Score);
    }

    [Fact]
    public async Task The_heartbeat_beats_on_the_apps_clock()
    {
        var clock = new ManualTimeProvider();
        Services.AddSingleton<TimeProvider>(clock);
        Services.AddSingleton(Options.Create(new ClassOptions { HeartbeatSeconds = 60, PresenceSeconds = 120 }));
        var code = (await _classes.OpenAsync()).Value.Code;
        var me = (await _classes.JoinAsync(code, "Ada", Learner.Id, ClassTestKit.Client())).Value;

        // No popover provider: MudBlazor's PopoverService keeps a timer of its own on the app's clock.
        RenderWithProviders<ClassPresence>(popoverProvider: false);
        await WaitForAsync(async () => (await MyEntryAsync(code)).Me is { LastSeen: not null });
        await WaitForAsync(() => Task.FromResult(clock.TimerCount == 1));

        // The presence is gone (as if its TTL had run out): the next beat, a heartbeat period later on the app's clock, writes it again.
        await _classes.GoOfflineAsync(me);
        Assert.Null((await MyEntryAsync(code)).Me?.LastSeen);
        clock.Advance(TimeSpan.FromSeconds(60));

        await WaitForAsync(async () => (await MyEntryAsync(code)).Me is { LastSeen: not null });
    }

    [Fact]
    public async Task A_browser_whose_connection_dropped_stops_beating_and_is_online_again_when_it_reconnects()
    {
        // The review's repro: a closed browser context stayed "online" for about 110 s, as the circuit (kept for the
        // browser to reconnect) went on beating for it; the roster promises offline once PresenceSeconds pass.
        var clock = new ManualTimeProvider();
        var connection = new CircuitConnection();
        Services.AddSingleton<TimeProvider>(clock);
        Services.AddSingleton(connection);
        Services.AddSingleton(Options.Create(new ClassOptions { HeartbeatSeconds = 60, PresenceSeconds = 120 }));
        var code = (await _classes.OpenAsync()).Value.Code;
        var me = (await _classes.JoinAsync(code, "Ada", Learner.Id, ClassTestKit.Client())).Value;
        RenderWithProviders<ClassPresence>(popoverProvider: false);
        await WaitForAsync(async () => (await MyEntryAsync(code)).Me is { LastSeen: not null });
        await WaitForAsync(() => Task.FromResult(clock.TimerCount == 1));

        await connection.OnConnectionDownAsync(null!, Xunit.TestContext.Current.CancellationToken);
        await _classes.GoOfflineAsync(me); // as if the presence TTL ran out while the browser was away
        clock.Advance(TimeSpan.FromSeconds(60));
        clock.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(500, Xunit.TestContext.Current.CancellationToken);
        Assert.Null((await MyEntryAsync(code)).Me?.LastSeen); // no beat while the connection is down

        await connection.OnConnectionUpAsync(null!, Xunit.TestContext.Current.CancellationToken);

        await WaitForAsync(async () => (await MyEntryAsync(code)).Me is { LastSeen: not null }); // at once, not at the next beat
    }

    [Fact]
    public async Task A_learner_in_no_class_writes_nothing_and_the_teacher_is_never_on_the_roster()
    {
        var code = (await _classes.OpenAsync()).Value.Code;

        RenderWithProviders<ClassPresence>();
        _state.ReportAction("Read product 1");
        await Task.Delay(300, Xunit.TestContext.Current.CancellationToken);

        Assert.Null(_state.Membership);
        Assert.Empty((await _classes.GetRosterAsync(code)).Value);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the roster did not show it in time");
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
    }
}
