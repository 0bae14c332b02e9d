using BlazorRedis.App.Classroom;
using BlazorRedis.App.Components.Layout;
using BlazorRedis.App.Components.Pages.Classroom;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>
/// The class stampede's components on the real Redis and its pub/sub: the teacher's panel (arm, live counts, every round
/// side by side; refused for a learner), the learner's card in <see cref="ClassLive"/> (Read, then their own wait).
/// </summary>
public class ClassStampedeComponentsTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private (MudTestContext Ctx, ClassService Classes, ClassStampede Stampede) NewContext()
    {
        var ctx = new MudTestContext();
        var classes = ClassTestKit.NewService(redis);
        var stampede = ClassTestKit.NewStampede(redis, classes, latencyMs: 100);
        ctx.Services.AddSingleton(classes);
        ctx.Services.AddSingleton(new ClassPolls(classes, redis.Tracer));
        ctx.Services.AddSingleton(stampede);
        ctx.Services.AddSingleton(ClassTestKit.NewHub(redis, classes));
        ClassTestKit.AddClassExperiments(ctx.Services, redis, classes);
        ctx.Services.AddScoped<ClassPresenceState>();
        return (ctx, classes, stampede);
    }

    private static async Task<ClassMembership[]> JoinAsync(ClassService classes, string code, params string[] names)
    {
        var members = new List<ClassMembership>();
        foreach (var name in names)
        {
            members.Add((await classes.JoinAsync(code, name, LearnerId.New(), ClassTestKit.Client())).Value);
        }

        return [.. members];
    }

    private static async Task ArmWhenReadyAsync(IRenderedComponent<ClassStampedePanel> cut)
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=stampede-arm]").HasAttribute("disabled")), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=stampede-arm]").Click());
    }

    // The window field used to clamp what it was given (999 became 60, 0 became 2) and arm a round the teacher never
    // asked for; now a window out of range, empty or not a number says why, on the field and above it, and arms nothing.
    [Theory]
    [InlineData("999", "The window must be between 2 and 60 seconds.")]
    [InlineData("1", "The window must be between 2 and 60 seconds.")]
    [InlineData("-5", "The window must be between 2 and 60 seconds.")]
    [InlineData("", "The window is empty")]
    [InlineData("abc", "The window is not a valid number")]
    [InlineData("99999999999", "The window must be between 2 and 60 seconds.")]
    public async Task A_window_out_of_range_or_not_a_number_says_why_and_arms_nothing(string value, string message)
    {
        var (ctx, classes, stampede) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassStampedePanel>(p => p.Add(x => x.Code, code));
        cut.Find("input[data-testid=stampede-window], [data-testid=stampede-window] input").Change(value);

        await ArmWhenReadyAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=stampede-panel-error]").TextContent, StringComparison.Ordinal), Wait);
        var field = cut.Find("input[data-testid=stampede-window], [data-testid=stampede-window] input").Closest(".mud-input-control");
        Assert.Contains(message, field?.QuerySelector(".mud-input-helper-text")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Null(await stampede.LatestAsync(code));
        Assert.Empty(cut.FindAll("[data-testid=stampede-current]"));

        // A good value clears the field's message and arms.
        cut.Find("input[data-testid=stampede-window], [data-testid=stampede-window] input").Change("3");
        await ArmWhenReadyAsync(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=stampede-current]")), Wait);
        Assert.Equal(3, (await stampede.LatestAsync(code))!.WindowSeconds);
        Assert.Empty(cut.FindAll("[data-testid=stampede-panel-error]"));
    }

    [Fact]
    public async Task The_teachers_panel_arms_rounds_shows_readers_and_loads_live_and_keeps_none_and_lock_side_by_side()
    {
        var (ctx, classes, stampede) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var learners = await JoinAsync(classes, code, "Ada", "Bob", "Cy");
        var cut = ctx.RenderWithProviders<ClassStampedePanel>(p => p.Add(x => x.Code, code));
        cut.WaitForAssertion(() => Assert.Equal(1, ctx.Services.GetRequiredService<ClassEventHub>().SubscriberCount(code)), Wait);
        cut.Find("input[data-testid=stampede-window], [data-testid=stampede-window] input").Change("2");

        await ArmWhenReadyAsync(cut);
        cut.WaitForAssertion(() => Assert.Equal("none", cut.Find("[data-testid=stampede-current]").GetAttribute("data-protection")), Wait);
        var none = (await stampede.LatestAsync(code))!;
        Assert.Equal(2, none.WindowSeconds);
        Assert.Equal("0", cut.Find("[data-testid=stampede-readers]").TextContent);
        Assert.Contains("EVALSHA", cut.Find("[data-testid=stampede-trace]").TextContent, StringComparison.Ordinal);
        Assert.Contains("PUBLISH", cut.Find("[data-testid=stampede-trace]").TextContent, StringComparison.Ordinal);
        await Task.WhenAll(learners.Select(l => Task.Run(() => stampede.ReadAsync(l, none.Id, Ct), Ct)));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=stampede-read-item]").Count), Wait);
        Assert.Equal("3", cut.Find("[data-testid=stampede-readers]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=stampede-loads]").TextContent);
        Assert.All(cut.FindAll("[data-testid=stampede-read-item]"), li => Assert.Equal("Database", li.GetAttribute("data-source")));

        // The lock, once the first window has closed.
        await cut.InvokeAsync(() => cut.Find("input[data-testid=stampede-protection-lock], [data-testid=stampede-protection-lock] input").Click());
        await ArmWhenReadyAsync(cut);
        cut.WaitForAssertion(() => Assert.Equal("lock", cut.Find("[data-testid=stampede-current]").GetAttribute("data-protection")), Wait);
        var locked = (await stampede.LatestAsync(code))!;
        Assert.Equal(StampedeProtection.Lock, locked.Protection);
        await Task.WhenAll(learners.Select(l => Task.Run(() => stampede.ReadAsync(l, locked.Id, Ct), Ct)));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=stampede-read-item]").Count), Wait);
        Assert.Equal("1", cut.Find("[data-testid=stampede-loads]").TextContent);
        var rows = cut.FindAll("[data-testid=stampede-round-row]");
        Assert.Equal(["lock", "none"], rows.Select(r => r.GetAttribute("data-protection")));
        Assert.Equal(["1", "3"], rows.Select(r => r.QuerySelector("[data-testid=stampede-row-loads]")!.TextContent));
        Assert.Equal(["3", "3"], rows.Select(r => r.QuerySelector("[data-testid=stampede-row-readers]")!.TextContent));
    }

    [Fact]
    public async Task A_second_round_while_the_window_is_open_is_refused_with_when_it_closes()
    {
        var (ctx, classes, stampede) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassStampedePanel>(p => p.Add(x => x.Code, code));

        await ArmWhenReadyAsync(cut);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=stampede-round-row]")), Wait);
        await ArmWhenReadyAsync(cut);

        cut.WaitForAssertion(() => Assert.StartsWith("The current round is still open", cut.Find("[data-testid=stampede-panel-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Single((await stampede.ListAsync(code)).Value);
    }

    [Fact]
    public async Task A_double_click_on_arm_arms_one_round_and_shows_no_error()
    {
        var (ctx, classes, stampede) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassStampedePanel>(p => p.Add(x => x.Code, code));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=stampede-arm]").HasAttribute("disabled")), Wait);
        var arm = cut.Find("button[data-testid=stampede-arm]");

        // Both clicks reach the panel before it re-renders the button as disabled, as a fast double click does.
        await cut.InvokeAsync(() =>
        {
            arm.Click();
            arm.Click();
        });

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=stampede-round-row]")), Wait);
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=stampede-arm]").HasAttribute("disabled")), Wait);
        Assert.Single((await stampede.ListAsync(code)).Value);
        Assert.Empty(cut.FindAll("[data-testid=stampede-panel-error]"));
    }

    [Fact]
    public async Task A_learner_cannot_arm_a_round_from_the_panel()
    {
        var (ctx, classes, stampede) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassStampedePanel>(p => p.Add(x => x.Code, code));

        await ArmWhenReadyAsync(cut);

        cut.WaitForAssertion(() => Assert.Equal(TeacherOnlyNote.Text, cut.Find("[data-testid=stampede-panel-error]").TextContent), Wait);
        Assert.Null(await stampede.LatestAsync(code));
        Assert.Empty(cut.FindAll("[data-testid=stampede-current]"));
    }

    [Fact]
    public async Task The_learner_gets_the_card_when_a_round_is_armed_presses_Read_and_sees_their_own_wait()
    {
        var (ctx, classes, stampede) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", ctx.Learner.Id, ClassTestKit.Client())).Value;
        ctx.Services.GetRequiredService<ClassPresenceState>().Membership = me;
        var cut = ctx.RenderWithProviders<ClassLive>();
        ClassLiveKit.WaitUntilAttached(cut, ctx.Services, code, Wait);
        Assert.Empty(cut.FindAll("[data-testid=stampede-card]"));

        var round = (await stampede.ArmAsync(code, StampedeProtection.None, 2)).Value;

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=stampede-read]")), Wait);
        Assert.Equal("Class stampede", cut.Find("[role=region][aria-label='Class stampede'] h2").TextContent);
        Assert.Equal(round.Id, cut.Find("[data-testid=stampede-card]").GetAttribute("data-round"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=stampede-read]").Click());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=stampede-my-wait]")), Wait);
        var mine = (await stampede.GetReadAsync(code, round.Id, me.Learner))!;
        Assert.Equal($"You waited {StampedeCard.Ms(mine.WaitMs)}.", cut.Find("[data-testid=stampede-my-wait]").TextContent.Trim());
        Assert.True(mine.WaitMs >= 100, $"{mine.WaitMs} ms");
        Assert.Equal("Database", cut.Find("[data-testid=stampede-my-source]").GetAttribute("data-source"));
        Assert.StartsWith("Your read missed and loaded the database itself", cut.Find("[data-testid=stampede-my-source]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("button[data-testid=stampede-read]"));
        Assert.Empty(cut.FindAll("[data-testid=stampede-error]"));
        var commands = cut.Find("[data-testid=stampede-my-commands]").TextContent;
        Assert.Contains("GET ", commands, StringComparison.Ordinal);
        Assert.Contains("HINCRBY ", commands, StringComparison.Ordinal);
        Assert.Contains("SETEX ", commands, StringComparison.Ordinal);
        Assert.Equal(1, (await stampede.GetAsync(code, round.Id))!.DatabaseLoads);
    }

    [Fact]
    public async Task The_card_shows_a_refusal_and_the_lock_wait_in_words()
    {
        await using var ctx = new MudTestContext();
        var round = new ClassStampedeRound("0123abcd", StampedeProtection.Lock, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(10), 2, 1, []);
        var presses = 0;
        var cut = ctx.RenderWithProviders<StampedeCard>(p => p.Add(x => x.Round, round).Add(x => x.OnRead, () => presses++)
            .Add(x => x.Error, "This round's window has closed: reads are no longer taken."));

        Assert.Contains("protected by a Redis lock", cut.Find("[data-testid=stampede-card-round]").TextContent, StringComparison.Ordinal);
        Assert.Equal("This round's window has closed: reads are no longer taken.", cut.Find("[data-testid=stampede-error]").TextContent);
        cut.Find("button[data-testid=stampede-read]").Click();
        Assert.Equal(1, presses);

        cut.Render(p => p.Add(x => x.MyRead, new ClassStampedeRead("l", "Ada", StampedeReadSource.Lock, 2345.6)).Add(x => x.Error, null));

        Assert.Equal("You waited 2,346 ms.", cut.Find("[data-testid=stampede-my-wait]").TextContent.Trim());
        Assert.StartsWith("Another learner held the lock", cut.Find("[data-testid=stampede-my-source]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("button[data-testid=stampede-read]"));
    }
}
