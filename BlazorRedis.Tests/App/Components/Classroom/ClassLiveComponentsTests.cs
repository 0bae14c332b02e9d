using BlazorRedis.App.Classroom;
using BlazorRedis.App.Components;
using BlazorRedis.App.Components.Layout;
using BlazorRedis.App.Components.Pages.Classroom;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>
/// The live class on the real Redis and its pub/sub: the learner's overlay, "bring everyone here" and "catch up", the
/// poll card; the teacher's bar, the class panel's pace controls and rename, and the poll panel's live histogram.
/// </summary>
public class ClassLiveComponentsTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <param name="classes">Another browser's class service, for a test of two browsers in one class; a new one by default.</param>
    private (MudTestContext Ctx, ClassService Classes, ClassPolls Polls) NewContext(ClassService? classes = null)
    {
        var ctx = new MudTestContext();
        classes ??= ClassTestKit.NewService(redis);
        var polls = new ClassPolls(classes, redis.Tracer);
        ctx.Services.AddSingleton(classes);
        ctx.Services.AddSingleton(polls);
        ctx.Services.AddSingleton(ClassTestKit.NewStampede(redis, classes));
        ctx.Services.AddSingleton(ClassTestKit.NewHub(redis, classes));
        ClassTestKit.AddClassExperiments(ctx.Services, redis, classes);
        ctx.Services.AddScoped<ClassPresenceState>();
        ClassTestKit.AddCourse(ctx.Services, redis);
        return (ctx, classes, polls);
    }

    private static async Task<ClassMembership> JoinAsync(MudTestContext ctx, ClassService classes, string code, string name = "Ada")
    {
        var me = (await classes.JoinAsync(code, name, ctx.Learner.Id, ClassTestKit.Client())).Value;
        ctx.Services.GetRequiredService<ClassPresenceState>().Membership = me;
        return me;
    }

    [Fact]
    public async Task A_learner_who_loads_a_page_while_paused_sees_the_modal_overlay_until_the_class_resumes()
    {
        var (ctx, classes, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        await JoinAsync(ctx, classes, code);
        await classes.SetPausedAsync(code, true);
        var inert = ctx.JSInterop.SetupVoid("blazorRedis.setInert", _ => true);

        var cut = ctx.RenderWithProviders<ClassLive>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=class-paused]")), Wait);
        var dialog = cut.Find("[role=dialog]");
        Assert.Equal("true", dialog.GetAttribute("aria-modal"));
        Assert.Equal("The teacher paused the class", cut.Find("#" + dialog.GetAttribute("aria-labelledby")).TextContent);
        Assert.Equal("-1", dialog.GetAttribute("tabindex"));
        cut.WaitForAssertion(() => Assert.Contains(inert.Invocations, i => Equals(i.Arguments[0], true)), Wait);
        cut.WaitForAssertion(() => Assert.Contains(ctx.JSInterop.Invocations, i => i.Identifier == "Blazor._internal.domWrapper.focus"), Wait);

        await classes.SetPausedAsync(code, false);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=class-paused]")), Wait);
        cut.WaitForAssertion(() => Assert.Contains(inert.Invocations, i => Equals(i.Arguments[0], false)), Wait);
    }

    [Fact]
    public async Task Bring_everyone_here_navigates_the_learner_and_catch_up_takes_them_back_after_they_step_away()
    {
        var (ctx, classes, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        await JoinAsync(ctx, classes, code);
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        var cut = ctx.RenderWithProviders<ClassLive>();
        ClassLiveKit.WaitUntilAttached(cut, ctx.Services, code, Wait);

        await classes.BringEveryoneAsync(code, "/caching/stampede");

        cut.WaitForAssertion(() => Assert.EndsWith("/caching/stampede", nav.Uri, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=catch-up]"));

        nav.NavigateTo("/sessions");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=catch-up]")), Wait);
        Assert.Equal("Catch up with the teacher", cut.Find("button[data-testid=catch-up]").TextContent.Trim());

        await cut.InvokeAsync(() => cut.Find("button[data-testid=catch-up]").Click());

        Assert.EndsWith("/caching/stampede", nav.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=catch-up]")), Wait);
    }

    // A closed tab the server still holds: navigating it threw in the circuit and logged an error per learner.
    [Fact]
    public async Task Bring_everyone_here_waits_for_a_dropped_browser_to_come_back_before_navigating_it()
    {
        var (ctx, classes, _) = NewContext();
        await using var dispose = ctx;
        var connection = new CircuitConnection();
        ctx.Services.AddSingleton(connection);
        var code = (await classes.OpenAsync()).Value.Code;
        await JoinAsync(ctx, classes, code);
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        var history = ((Bunit.TestDoubles.BunitNavigationManager)nav).History;
        var cut = ctx.RenderWithProviders<ClassLive>();
        ClassLiveKit.WaitUntilAttached(cut, ctx.Services, code, Wait);
        await connection.OnConnectionDownAsync(null!, Xunit.TestContext.Current.CancellationToken);
        var before = history.Count;

        await classes.BringEveryoneAsync(code, "/caching/stampede");
        await classes.BringEveryoneAsync(code, "/caching/stampede"); // twice: still one navigation when it comes back

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=catch-up]")), Wait); // the event arrived
        Assert.Equal(before, history.Count);
        Assert.DoesNotContain("/caching/stampede", nav.Uri, StringComparison.Ordinal);

        await connection.OnConnectionUpAsync(null!, Xunit.TestContext.Current.CancellationToken);

        cut.WaitForAssertion(() => Assert.EndsWith("/caching/stampede", nav.Uri, StringComparison.Ordinal), Wait);
        Assert.Equal(before + 1, history.Count);
    }

    [Fact]
    public async Task The_teacher_never_gets_the_learner_overlay_even_as_a_member_of_the_class()
    {
        // A teacher trying the class from their own browser is a member too. A learner's page beside it is the control.
        var (teacher, classes, _) = NewContext();
        await using var disposeTeacher = teacher;
        teacher.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        await JoinAsync(teacher, classes, code, "Teach");
        await classes.SetPausedAsync(code, true);
        var teachers = teacher.RenderWithProviders<ClassLive>();
        var (learner, _, _) = NewContext(classes);
        await using var disposeLearner = learner;
        await JoinAsync(learner, classes, code, "Ada");

        var learners = learner.RenderWithProviders<ClassLive>();

        // The learner's page, rendered after the teacher's, has read the class and shows the overlay; the teacher's,
        // given that time, never attached: no subscription to the class, no overlay.
        learners.WaitForAssertion(() => Assert.NotEmpty(learners.FindAll("[data-testid=class-paused]")), Wait);
        Assert.Equal(0, teacher.Services.GetRequiredService<ClassEventHub>().SubscriberCount(code));
        Assert.Empty(teachers.FindAll("[data-testid=class-paused]"));
    }

    [Fact]
    public async Task A_pushed_poll_appears_the_learner_answers_once_and_sees_the_revealed_answer()
    {
        var (ctx, classes, polls) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = await JoinAsync(ctx, classes, code);
        var cut = ctx.RenderWithProviders<ClassLive>();
        ClassLiveKit.WaitUntilAttached(cut, ctx.Services, code, Wait);

        var poll = (await polls.PushAsync(code, "Which command reads a hash field?", ["GET", "HGET"], multiple: false)).Value;

        cut.WaitForAssertion(() => Assert.Equal("Which command reads a hash field?", cut.Find("[data-testid=poll-question]").TextContent), Wait);
        Assert.Equal("radio", cut.FindAll("input[data-testid=poll-choice]")[1].GetAttribute("type"));
        await cut.InvokeAsync(() => cut.FindAll("input[data-testid=poll-choice]")[1].Change(true));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=poll-send]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Answer sent", cut.Find("[data-testid=poll-sent]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("button[data-testid=poll-send]"));
        Assert.Equal([1], await polls.GetAnswerAsync(code, poll.Id, me.Learner));

        await polls.RevealAsync(code, poll.Id, [1]);

        cut.WaitForAssertion(() => Assert.Contains("Right!", cut.Find("[data-testid=poll-sent]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Single(cut.FindAll("[data-testid=poll-right]"));
    }

    [Fact]
    public async Task A_hidden_poll_stays_hidden_on_a_reload_until_the_teacher_reveals_the_answer()
    {
        var (ctx, classes, polls) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = await JoinAsync(ctx, classes, code);
        var poll = (await polls.PushAsync(code, "Q", ["a", "b"], multiple: false)).Value;
        var cut = ctx.RenderWithProviders<ClassLive>();
        ClassLiveKit.WaitUntilAttached(cut, ctx.Services, code, Wait);
        cut.WaitForAssertion(() => cut.Find("[data-testid=poll-card]"), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=poll-hide]").Click());
        Assert.Empty(cut.FindAll("[data-testid=poll-card]"));
        for (var i = 0; i < 150 && !await polls.IsHiddenAsync(code, poll, me.Learner); i++)
        {
            await Task.Delay(100, Xunit.TestContext.Current.CancellationToken);
        }

        Assert.True(await polls.IsHiddenAsync(code, poll, me.Learner));

        // A reload (another tab, another instance) reads the class again: the card stays hidden.
        var reloaded = ctx.RenderWithProviders<ClassLive>(popoverProvider: false); // the first render's provider serves both
        reloaded.WaitForAssertion(() => Assert.Equal(4, ctx.Services.GetRequiredService<ClassEventHub>().SubscriberCount(code)), Wait); // both pages attached
        Assert.Empty(reloaded.FindAll("[data-testid=poll-card]"));

        // The teacher reveals the answer: it shows again, where it was hidden and on the reloaded page alike.
        await polls.RevealAsync(code, poll.Id, [1]);
        cut.WaitForAssertion(() => cut.Find("[data-testid=poll-card]"), Wait);
        reloaded.WaitForAssertion(() => reloaded.Find("[data-testid=poll-card]"), Wait);
    }

    [Fact]
    public async Task A_learner_who_loads_a_page_after_the_poll_closed_before_answering_sees_no_card()
    {
        var (ctx, classes, polls) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        await JoinAsync(ctx, classes, code);
        var poll = (await polls.PushAsync(code, "Q", ["a", "b"], multiple: false)).Value;
        await polls.CloseAsync(code, poll.Id);

        var cut = ctx.RenderWithProviders<ClassLive>();
        ClassLiveKit.WaitUntilAttached(cut, ctx.Services, code, Wait);

        Assert.Empty(cut.FindAll("[data-testid=poll-card]"));
    }

    [Fact]
    public async Task The_poll_card_takes_several_options_when_multiple_and_says_when_it_is_closed()
    {
        await using var ctx = new MudTestContext();
        var poll = new ClassPoll("0badcafe", "Pick types", ["List", "Table", "Set"], true, PollState.Open, [], [0, 0, 0], 0, DateTimeOffset.UnixEpoch);
        IReadOnlyList<int>? sent = null;

        var cut = ctx.RenderWithProviders<PollCard>(p => p.Add(x => x.Poll, poll).Add(x => x.OnAnswer, (IReadOnlyList<int> c) => sent = c));
        Assert.True(cut.Find("button[data-testid=poll-send]").HasAttribute("disabled"));
        cut.FindAll("input[data-testid=poll-choice]")[0].Change(true);
        cut.FindAll("input[data-testid=poll-choice]")[2].Change(true);
        cut.Find("button[data-testid=poll-send]").Click();

        Assert.Equal([0, 2], sent);
        Assert.All(cut.FindAll("input[data-testid=poll-choice]"), i => Assert.Equal("checkbox", i.GetAttribute("type")));

        cut.Render(p => p.Add(x => x.Poll, poll with { State = PollState.Closed }));
        Assert.Equal("This poll is closed.", cut.Find("[data-testid=poll-closed]").TextContent);
        Assert.True(cut.Find("fieldset").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_teacher_bar_shows_on_any_page_brings_everyone_to_it_and_pauses()
    {
        var (ctx, classes, _) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var hub = ctx.Services.GetRequiredService<ClassEventHub>();
        var heard = new System.Collections.Concurrent.ConcurrentQueue<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e =>
        {
            heard.Enqueue(e);
            return Task.CompletedTask;
        });
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/data-structures/hashes");

        var cut = ctx.RenderWithProviders<TeacherBar>();

        cut.WaitForAssertion(() => Assert.Equal(code, cut.Find("[data-testid=teacher-bar-code]").TextContent), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=bar-bring]").Click());
        cut.WaitForAssertion(() => Assert.Contains(heard, e => e is { Kind: ClassEventKind.BringHere, Text: "/data-structures/hashes" }), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=bar-pause]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Resume the class", cut.Find("button[data-testid=bar-pause]").TextContent.Trim()), Wait);
        Assert.True(await classes.IsPausedAsync(code));

        await classes.SetPausedAsync(code, false); // from /teacher, the API or another tab: the bar follows
        cut.WaitForAssertion(() => Assert.Equal("Pause the class", cut.Find("button[data-testid=bar-pause]").TextContent.Trim()), Wait);

        await classes.CloseAsync(code);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=teacher-bar]")), Wait);
    }

    // On /teacher, "Bring everyone here" sent every learner to a page they cannot use.
    [Fact]
    public async Task On_the_teachers_page_neither_the_bar_nor_the_class_panel_offers_to_bring_everyone_there()
    {
        var (ctx, classes, _) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/teacher");

        var bar = ctx.RenderWithProviders<TeacherBar>();
        var panel = ctx.RenderWithProviders<ClassPanel>(popoverProvider: false); // one provider for the two

        bar.WaitForAssertion(() => Assert.Equal(code, bar.Find("[data-testid=teacher-bar-code]").TextContent), Wait);
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("button[data-testid=pause-class]")), Wait);
        Assert.Empty(bar.FindAll("button[data-testid=bar-bring]"));
        Assert.Contains("Open a page to bring everyone to it", bar.Find("[data-testid=bar-bring-elsewhere]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("button[data-testid=bring-everyone]"));
        Assert.Contains("open it", panel.Find("[data-testid=bring-elsewhere]").TextContent, StringComparison.Ordinal);
        Assert.Null((await classes.GetInfoAsync(code))!.TeacherPage);
    }

    [Fact]
    public async Task A_learner_never_sees_the_teacher_bar()
    {
        var (learner, classes, _) = NewContext();
        await using var disposeLearner = learner;
        await classes.OpenAsync();
        var learners = learner.RenderWithProviders<TeacherBar>();
        var (teacher, _, _) = NewContext(classes);
        await using var disposeTeacher = teacher;
        teacher.ActAsTeacher();

        var teachers = teacher.RenderWithProviders<TeacherBar>();

        // The control: the teacher's bar, rendered after the learner's, has read the open class; the learner's has none.
        teachers.WaitForAssertion(() => Assert.NotEmpty(teachers.FindAll("[data-testid=teacher-bar]")), Wait);
        Assert.Empty(learners.FindAll("[data-testid=teacher-bar]"));
    }

    [Fact]
    public async Task The_class_panel_pauses_and_resumes_brings_everyone_and_renames_a_learner()
    {
        var (ctx, classes, _) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client());
        await classes.JoinAsync(code, "Bob", LearnerId.New(), ClassTestKit.Client());
        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=roster-nickname]").Count), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=pause-class]").Click());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=class-paused-note]")), Wait);
        Assert.True(await classes.IsPausedAsync(code));
        Assert.Equal("true", cut.Find("button[data-testid=pause-class]").GetAttribute("aria-pressed"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=pause-class]").Click());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=class-paused-note]")), Wait);
        Assert.False(await classes.IsPausedAsync(code));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=bring-everyone]").Click());
        cut.WaitForAssertion(() => Assert.Contains("Everyone was asked", cut.Find("[data-testid=class-notice]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull((await classes.GetInfoAsync(code))!.TeacherPage);

        await cut.InvokeAsync(() => cut.FindAll("button[data-testid=rename-learner]")[0].Click());
        cut.Find("input[data-testid=rename-input]").Change("bob");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=rename-save]").Click());
        cut.WaitForAssertion(() => Assert.Contains("already called", cut.Find("[data-testid=class-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(["Ada", "Bob"], (await classes.GetRosterAsync(code)).Value.Select(r => r.Nickname));

        cut.Find("input[data-testid=rename-input]").Change("Countess");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=rename-save]").Click());
        cut.WaitForAssertion(() => Assert.Contains("Countess", cut.FindAll("[data-testid=roster-nickname]").Select(e => e.TextContent.Trim())), Wait);
        Assert.Equal(["Bob", "Countess"], (await classes.GetRosterAsync(code)).Value.Select(r => r.Nickname));
    }

    [Fact]
    public async Task The_class_panel_refuses_pace_controls_in_a_learners_circuit_and_changes_nothing()
    {
        var (ctx, classes, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassPanel>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=pause-class]")), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=pause-class]").Click());
        await cut.InvokeAsync(() => cut.Find("button[data-testid=bring-everyone]").Click());

        cut.WaitForAssertion(() => Assert.Contains("The teacher controls this", cut.Find("[data-testid=class-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.False(await classes.IsPausedAsync(code));
        Assert.Null((await classes.GetInfoAsync(code))!.TeacherPage);
    }

    [Fact]
    public async Task The_poll_panel_pushes_a_poll_shows_answers_live_and_reveals_and_keeps_history()
    {
        var (ctx, classes, polls) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var learners = new List<ClassMembership>();
        foreach (var name in new[] { "Ada", "Bob", "Cy" })
        {
            learners.Add((await classes.JoinAsync(code, name, LearnerId.New(), ClassTestKit.Client())).Value);
        }

        var cut = ctx.RenderWithProviders<ClassPollPanel>(p => p.Add(x => x.Code, code));

        await PushWhenReadyAsync(cut);
        cut.WaitForAssertion(() => Assert.Contains("empty", cut.Find("[data-testid=poll-panel-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty((await polls.ListAsync(code)).Value);

        cut.Find("input[data-testid=poll-question-input]").Change("Which command reads a hash field?");
        cut.FindAll("input[data-testid=poll-option-input]")[0].Change("GET");
        cut.FindAll("input[data-testid=poll-option-input]")[1].Change("HGET");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=poll-option-add]").Click());
        cut.FindAll("input[data-testid=poll-option-input]")[2].Change("LPOP");
        await PushWhenReadyAsync(cut);
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=poll-row]").Count), Wait);
        var poll = (await polls.LatestAsync(code))!;

        await polls.AnswerAsync(learners[0], poll.Id, [1]);
        await polls.AnswerAsync(learners[1], poll.Id, [1]);
        await polls.AnswerAsync(learners[2], poll.Id, [2]);

        cut.WaitForAssertion(() => Assert.Equal(["0", "2", "1"], cut.FindAll("[data-testid=poll-count]").Select(e => e.TextContent)), Wait);
        Assert.StartsWith("3 answers", cut.Find("[data-testid=poll-voters]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.FindAll("input[data-testid=poll-mark-correct]")[1].Change(true));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=poll-reveal]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Revealed", cut.Find("[data-testid=poll-current]").GetAttribute("data-state")), Wait);
        Assert.Equal([1], (await polls.GetAsync(code, poll.Id))!.Correct);

        cut.Find("input[data-testid=poll-question-input]").Change("Next?");
        cut.FindAll("input[data-testid=poll-option-input]")[0].Change("Yes");
        cut.FindAll("input[data-testid=poll-option-input]")[1].Change("No");
        await PushWhenReadyAsync(cut);
        cut.WaitForAssertion(() => Assert.Contains("Which command reads a hash field?", cut.Find("[data-testid=poll-history]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("HGET 2 ✔", cut.Find("[data-testid=poll-history]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_double_click_on_push_pushes_one_poll()
    {
        var (ctx, classes, polls) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var cut = ctx.RenderWithProviders<ClassPollPanel>(p => p.Add(x => x.Code, code));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=poll-push]").HasAttribute("disabled")), Wait);
        cut.Find("input[data-testid=poll-question-input]").Change("Ready?");
        cut.FindAll("input[data-testid=poll-option-input]")[0].Change("Yes");
        cut.FindAll("input[data-testid=poll-option-input]")[1].Change("No");
        var push = cut.Find("button[data-testid=poll-push]");

        // Both clicks reach the panel before it re-renders the button as disabled, as a fast double click does.
        await cut.InvokeAsync(() =>
        {
            push.Click();
            push.Click();
        });

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=poll-row]").Count), Wait);
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=poll-push]").HasAttribute("disabled")), Wait);
        Assert.Single((await polls.ListAsync(code)).Value);
        Assert.Empty(cut.FindAll("[data-testid=poll-panel-error]"));
    }

    // The panel's buttons are disabled while it reads or writes (its first read, a reveal): a click then is lost.
    private static async Task PushWhenReadyAsync(IRenderedComponent<ClassPollPanel> cut)
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=poll-push]").HasAttribute("disabled")), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=poll-push]").Click());
    }

    [Fact]
    public async Task Presenter_mode_hides_the_drawer_zooms_and_is_remembered_through_js()
    {
        await using var ctx = new MudTestContext();
        ctx.ComponentFactories.AddStub<ClassPresence>();
        ctx.ComponentFactories.AddStub<ClassLive>();
        ctx.ComponentFactories.AddStub<TeacherBar>();
        var remember = ctx.JSInterop.SetupVoid("blazorRedis.setPresenter", _ => true);
        var cut = ctx.RenderWithProviders<MainLayout>(popoverProvider: false);
        Assert.NotEmpty(cut.FindAll(".mud-drawer"));
        Assert.Equal("false", cut.Find("[data-testid=presenter-toggle]").GetAttribute("aria-pressed"));

        cut.Find("[data-testid=presenter-toggle]").Click();

        Assert.Empty(cut.FindAll(".mud-drawer"));
        Assert.Contains("br-presenter", cut.Find(".br-root").ClassList);
        Assert.Equal("150%", cut.Find("[data-testid=zoom-value]").TextContent);
        cut.Find("[data-testid=zoom-in]").Click();
        cut.Find("[data-testid=zoom-in]").Click();
        Assert.Equal("200%", cut.Find("[data-testid=zoom-value]").TextContent);
        Assert.True(cut.Find("[data-testid=zoom-in]").HasAttribute("disabled"));
        Assert.Contains("--br-zoom: 2", cut.Find(".br-root").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal([150, 175, 200], remember.Invocations.Select(i => (int)i.Arguments[0]!));

        cut.Find("[data-testid=presenter-toggle]").Click();
        Assert.NotEmpty(cut.FindAll(".mud-drawer"));
        Assert.Equal(0, (int)remember.Invocations.Last().Arguments[0]!);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("abc", 0)]
    [InlineData("-5", 0)]
    [InlineData("999", 200)]
    [InlineData("50", 100)]
    [InlineData("125", 125)]
    public void The_presenter_cookie_is_read_clamped_and_a_bad_one_means_off(string? cookie, int zoom) =>
        Assert.Equal(zoom, PresenterMode.FromCookie(cookie));

    [Fact]
    public async Task A_browser_that_chose_presenter_mode_starts_in_it_with_the_high_contrast_theme()
    {
        await using var ctx = new MudTestContext();
        ctx.ComponentFactories.AddStub<ClassPresence>();
        ctx.ComponentFactories.AddStub<ClassLive>();
        ctx.ComponentFactories.AddStub<TeacherBar>();
        ctx.SetRendererInfo(ctx.RendererMode);

        var cut = ctx.Render<MainLayout>(p => p.AddCascadingValue(ctx.Learner with { PresenterZoom = 175 }));

        Assert.Equal("175", cut.Find(".br-root").GetAttribute("data-presenter"));
        Assert.Equal("true", cut.Find("[data-testid=presenter-toggle]").GetAttribute("aria-pressed"));
        Assert.Equal("#000000", AppTheme.Presenter.PaletteLight.TextPrimary.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex));
    }
}
