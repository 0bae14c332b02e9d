using BlazorRedis.App.Components.Pages.Classroom;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Tests.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using BlazorRedis.Tests.Infrastructure.Chaos;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>The teacher's class panel and the /join page, on the real Redis.</summary>
public class ClassPagesTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private LessonProgressStore _progress = null!;

    private (MudTestContext Ctx, ClassService Classes) NewContext(ClassOptions? options = null)
    {
        var ctx = new MudTestContext();
        var classes = ClassTestKit.NewService(redis, options);
        ctx.Services.AddSingleton(classes);
        ctx.Services.AddSingleton(ClassTestKit.NewHub(redis, classes));
        ctx.Services.AddSingleton(new ClassPolls(classes, redis.Tracer));
        ClassTestKit.AddClassExperiments(ctx.Services, redis, classes);
        ctx.Services.AddSingleton(ClassTestKit.NewStampede(redis, classes));
        ctx.Services.AddScoped<BlazorRedis.App.Classroom.ClassPresenceState>();
        _progress = BlazorRedis.Tests.Core.Classroom.ClassTestKit.AddCourse(ctx.Services, redis);
        return (ctx, classes);
    }

    [Fact]
    public async Task The_roster_shows_how_many_lessons_each_learner_completed_updated_when_they_act()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var learner = LearnerId.New();
        var membership = (await classes.JoinAsync(code, "Grace", learner, ClassTestKit.Client())).Value;
        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.StartsWith("0 / ", cut.Find("[data-testid=roster-lessons]").TextContent, StringComparison.Ordinal), Wait);
        var total = ctx.Services.GetRequiredService<LessonCatalog>().Lessons.Count();

        var lesson = ctx.Services.GetRequiredService<LessonCatalog>().Find("what-is-redis")!;
        foreach (var check in lesson.Checks)
        {
            await _progress.RecordCheckPassedAsync(learner, lesson.Info.Id, check);
        }

        foreach (var quiz in lesson.Quizzes)
        {
            var right = Enumerable.Range(0, quiz.Quiz.Options.Count).Where(i => quiz.Quiz.Options[i].Correct).ToArray();
            await _progress.RecordQuizAsync(learner, lesson.Info.Id, quiz.Index, quiz.Quiz.Grade(right));
        }

        await classes.ReportActionAsync(membership, "Record a quiz answer");

        cut.WaitForAssertion(() => Assert.Equal($"1 / {total}", cut.Find("[data-testid=roster-lessons]").TextContent), Wait);
    }

    [Fact]
    public async Task The_teacher_opens_a_class_and_sees_the_code_the_qr_code_and_a_learner_join_live_then_removes_them()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=open-class]").HasAttribute("disabled")), Wait); // the first read is done

        await cut.InvokeAsync(() => cut.Find("button[data-testid=open-class]").Click());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=join-code]")), Wait);
        var code = cut.Find("[data-testid=join-code]").TextContent.Trim();
        Assert.True(JoinCode.TryNormalize(code, out _));
        Assert.EndsWith("/join/" + code, cut.Find("[data-testid=join-url]").TextContent, StringComparison.Ordinal);
        Assert.Contains("<svg", cut.Find("[data-testid=join-qr]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("viewBox", cut.Find("[data-testid=join-qr]").InnerHtml, StringComparison.Ordinal);

        var me = (await classes.JoinAsync(code, "Ada 🚀", LearnerId.New(), ClassTestKit.Client())).Value;
        cut.WaitForAssertion(() => Assert.Equal("Ada 🚀", cut.Find("[data-testid=roster-nickname]").TextContent.Trim()), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=remove-learner]").Click());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=roster-nickname]")), Wait);
        Assert.Null(await classes.GetMembershipAsync(LearnerId.TryParse(me.Learner, out var id) ? id : default));
    }

    [Fact]
    public async Task A_class_that_expired_under_the_teacher_page_makes_pause_say_so_and_offer_a_new_class()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=pause-class]").HasAttribute("disabled")), Wait);

        // Gone without an event, as when its keys expire: the page still shows the code until the teacher acts.
        await redis.Multiplexer.GetDatabase().KeyDeleteAsync(classes.ClassKey(code, "meta"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=pause-class]").Click());

        cut.WaitForAssertion(() => Assert.Contains("no longer open", cut.Find("[data-testid=class-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotEmpty(cut.FindAll("button[data-testid=open-class]"));
        Assert.Empty(cut.FindAll("[data-testid=join-code]"));
        Assert.Empty(cut.FindAll("[data-testid=join-qr]"));
        Assert.Null(ctx.Services.GetRequiredService<BlazorRedis.App.Classroom.ClassPresenceState>().TeacherClass);
    }

    [Fact]
    public async Task A_class_closed_elsewhere_leaves_the_teacher_page_at_once()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=pause-class]").HasAttribute("disabled")), Wait); // subscribed
        Assert.Equal(code, cut.Find("[data-testid=join-code]").TextContent.Trim());

        await classes.CloseAsync(code); // another tab, another device, or DELETE /api/classroom/class

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=open-class]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=join-code]"));
        Assert.Contains("The class was closed", cut.Find("[data-testid=class-notice]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_double_click_on_open_a_class_opens_one_class()
    {
        var (ctx, _) = NewContext();
        await using var disposeCtx = ctx;
        ctx.ActAsTeacher();
        var opened = new List<ClassInfo>();
        var cut = ctx.RenderWithProviders<ClassPanel>(p => p.Add(x => x.ClassChanged, (ClassInfo? c) =>
        {
            if (c is not null)
            {
                opened.Add(c);
            }
        }));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=open-class]").HasAttribute("disabled")), Wait);

        // Both clicks reach the circuit before the first one's "disabled" reaches the browser.
        var button = cut.FindComponents<MudBlazor.MudButton>().Single(b => Equals(b.Instance.UserAttributes.GetValueOrDefault("data-testid"), "open-class")).Instance;
        await cut.InvokeAsync(() => Task.WhenAll(button.OnClick.InvokeAsync(), button.OnClick.InvokeAsync()));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=join-code]")), Wait);
        Assert.Single(opened);
    }

    [Fact]
    public async Task A_learner_whose_presence_expires_in_a_quiet_class_goes_offline_on_the_roster()
    {
        var (ctx, classes) = NewContext(new ClassOptions { PresenceSeconds = 5, HeartbeatSeconds = 1 });
        await using var disposeCtx = ctx;
        var clock = new ManualTimeProvider();
        ctx.Services.AddSingleton<TimeProvider>(clock);
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var membership = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        await classes.HeartbeatAsync(membership);
        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.Contains("1 online", cut.Find("[data-testid=roster]").TextContent, StringComparison.Ordinal), Wait);

        // Her laptop sleeps: no heartbeat, no event; a heartbeat period after her presence ran out, the roster says so.
        clock.Advance(TimeSpan.FromSeconds(6));

        cut.WaitForAssertion(() => Assert.Contains("0 online", cut.Find("[data-testid=roster]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("offline", cut.Find("[data-testid=roster] tbody").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_roster_reads_a_join_once_the_refresh_gap_has_passed_on_the_apps_clock()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        var clock = new ManualTimeProvider();
        ctx.Services.AddSingleton<TimeProvider>(clock);
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassPanel>(popoverProvider: false);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=join-code]")), Wait);
        var timers = clock.TimerCount;

        await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client());

        // The join's event schedules one roster read on the app's clock (a timer made is not a render: poll for it).
        var deadline = DateTime.UtcNow + Wait;
        while (clock.TimerCount == timers && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Xunit.TestContext.Current.CancellationToken);
        }

        Assert.True(clock.TimerCount > timers, "the roster read waits on the injected clock");
        Assert.DoesNotContain("Ada", cut.Find("[data-testid=roster]").TextContent, StringComparison.Ordinal);
        clock.Advance(ClassPanel.RefreshGap);

        cut.WaitForAssertion(() => Assert.Contains("Ada", cut.Find("[data-testid=roster]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task The_roster_filter_keeps_only_matching_nicknames()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        foreach (var name in new[] { "Ada", "Bob", "Adele" })
        {
            await classes.JoinAsync(code, name, LearnerId.New(), ClassTestKit.Client());
        }

        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=roster-nickname]").Count), Wait);
        cut.Find("input[data-testid=roster-filter]").Input("ad");

        cut.WaitForAssertion(() => Assert.Equal(["Ada", "Adele"], cut.FindAll("[data-testid=roster-nickname]").Select(e => e.TextContent.Trim())), Wait);
    }

    [Fact]
    public async Task A_learner_joins_by_the_prefilled_code_with_a_suggested_nickname_and_the_page_remembers_it()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<JoinPage>(p => p.Add(x => x.Code, code.ToLowerInvariant()));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=join]").Click());

        cut.WaitForAssertion(() => Assert.Contains(code, cut.Find("[data-testid=joined]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull(await classes.GetMembershipAsync(ctx.Learner.Id));
        var again = ctx.Render<JoinPage>(p => p.AddCascadingValue(ctx.Learner));
        again.WaitForAssertion(() => Assert.NotEmpty(again.FindAll("[data-testid=joined]")), Wait);
    }

    [Fact]
    public async Task Leaving_the_class_while_Redis_is_down_says_so_and_keeps_the_learner_in()
    {
        var (ctx, _) = NewContext();
        await using var disposeCtx = ctx;
        var chaos = new ChaosOptions();
        var classes = new ClassService(ChaosRedis.Wrap(redis.Multiplexer, chaos), redis.NewKeyspace(), redis.Tracer, ClassTestKit.Limiter(redis), Options.Create(new ClassOptions()), TimeProvider.System);
        ctx.Services.AddSingleton(classes);
        var code = (await classes.OpenAsync()).Value.Code;
        await classes.JoinAsync(code, "Ada", ctx.Learner.Id, ClassTestKit.Client());
        var cut = ctx.RenderWithProviders<JoinPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=leave-class]")), Wait);

        chaos.ErrorProbability = 1;
        await cut.InvokeAsync(() => cut.Find("button[data-testid=leave-class]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Redis is unavailable", cut.Find("[data-testid=error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotEmpty(cut.FindAll("[data-testid=joined]"));
        chaos.Reset();
        Assert.NotNull(await classes.GetMembershipAsync(ctx.Learner.Id));
    }

    [Fact]
    public async Task The_teacher_panel_with_Redis_down_says_so_instead_of_offering_to_open_a_class_and_can_try_again()
    {
        var (ctx, _) = NewContext();
        await using var disposeCtx = ctx;
        var chaos = new ChaosOptions { ErrorProbability = 1 };
        var classes = new ClassService(ChaosRedis.Wrap(redis.Multiplexer, chaos), redis.NewKeyspace(), redis.Tracer, ClassTestKit.Limiter(redis), Options.Create(new ClassOptions()), TimeProvider.System);
        ctx.Services.AddSingleton(classes);
        ctx.ActAsTeacher();

        var cut = ctx.RenderWithProviders<ClassPanel>(popoverProvider: false);

        // Whether a class is open is unknown: no "Open a class" (it may be open, and opening needs Redis too).
        cut.WaitForAssertion(() => Assert.Contains("Redis is unavailable", cut.Find("[data-testid=class-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("button[data-testid=open-class]"));
        Assert.Contains("could not be read", cut.Find("[data-testid=class-unknown]").TextContent, StringComparison.Ordinal);

        chaos.Reset();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=class-retry]").ClickAsync(new()));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=open-class]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=class-error]"));
        Assert.Empty(cut.FindAll("[data-testid=class-unknown]"));
    }

    [Fact]
    public async Task A_learner_the_teacher_removes_sees_it_on_the_join_page()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", ctx.Learner.Id, ClassTestKit.Client())).Value;
        var presence = ctx.Services.GetRequiredService<BlazorRedis.App.Classroom.ClassPresenceState>();
        presence.Membership = me; // the layout's ClassPresence found it
        var cut = ctx.RenderWithProviders<JoinPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=joined]")), Wait);

        await classes.RemoveAsync(code, me.Learner);
        await cut.InvokeAsync(() => presence.Membership = null); // what the layout's ClassLive does on the Removed event

        cut.WaitForAssertion(() => Assert.Contains("no longer in class " + code, cut.Find("[data-testid=left-note]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=joined]"));
        Assert.NotEmpty(cut.FindAll("button[data-testid=join]"));
    }

    [Fact]
    public async Task A_learner_removed_while_on_another_page_is_told_when_they_open_the_join_page()
    {
        // The review's repro: removed while on /workbench, the learner later opened /join and saw only the plain form.
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", ctx.Learner.Id, ClassTestKit.Client())).Value;
        await classes.RemoveAsync(code, me.Learner);

        var cut = ctx.RenderWithProviders<JoinPage>();

        cut.WaitForAssertion(() => Assert.Equal($"The teacher removed you from class {code}. Type a code to join again.", cut.Find("[data-testid=left-note]").TextContent.Trim()), Wait);
        Assert.NotEmpty(cut.FindAll("button[data-testid=join]"));
    }

    [Fact]
    public async Task A_wrong_code_and_a_bad_nickname_show_clear_messages_and_join_nothing()
    {
        var (ctx, classes) = NewContext();
        await using var disposeCtx = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<JoinPage>(p => p.Add(x => x.Code, "ZZZZZZ"));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=join]").Click());
        cut.WaitForAssertion(() => Assert.Contains("No open class has this code", cut.Find("[data-testid=error]").TextContent, StringComparison.Ordinal), Wait);

        cut.Find("input[data-testid=join-code-input]").Change(code);
        cut.Find("input[data-testid=nickname-input]").Change("\u202Eevil");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=join]").Click());
        cut.WaitForAssertion(() => Assert.Contains("text direction", cut.Find("[data-testid=error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Null(await classes.GetMembershipAsync(ctx.Learner.Id));
    }
}
