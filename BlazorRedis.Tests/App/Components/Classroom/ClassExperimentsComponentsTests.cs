using BlazorRedis.App.Classroom;
using BlazorRedis.App.Components;
using BlazorRedis.App.Components.Layout;
using BlazorRedis.App.Components.Pages.Classroom;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>
/// The class leaderboard and the class channel in their components, on the real Redis and its pub/sub: the teacher's
/// leaderboard and channel panels, the learner's chat card with their rank, and the message list.
/// </summary>
public class ClassExperimentsComponentsTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private (MudTestContext Ctx, ClassService Classes, ClassChannel Channel, ClassLeaderboard Board) NewContext()
    {
        var ctx = new MudTestContext();
        var classes = ClassTestKit.NewService(redis);
        ctx.Services.AddSingleton(classes);
        ctx.Services.AddSingleton(new ClassPolls(classes, redis.Tracer));
        ctx.Services.AddSingleton(ClassTestKit.NewHub(redis, classes));
        var (board, channel) = ClassTestKit.AddClassExperiments(ctx.Services, redis, classes);
        ctx.Services.AddSingleton(ClassTestKit.NewStampede(redis, classes, latencyMs: 100));
        ctx.Services.AddScoped<ClassPresenceState>();
        ClassTestKit.AddCourse(ctx.Services, redis);
        return (ctx, classes, channel, board);
    }

    private static async Task<ClassMembership> JoinAsync(ClassService classes, string code, string name) =>
        (await classes.JoinAsync(code, name, LearnerId.New(), ClassTestKit.Client())).Value;

    [Fact]
    public async Task The_teachers_leaderboard_follows_learners_actions_live_and_the_teacher_resets_it()
    {
        var (ctx, classes, _, _) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = await JoinAsync(classes, code, "Ada");
        var bob = await JoinAsync(classes, code, "Bob");
        await classes.ReportActionAsync(ada, "Read product 1");

        var cut = ctx.RenderWithProviders<ClassLeaderboardPanel>(p => p.Add(x => x.Code, code));
        cut.WaitForAssertion(() => Assert.Equal(["Ada"], cut.FindAll("[data-testid=leaderboard-row]").Select(r => r.GetAttribute("data-nickname"))), Wait);

        await classes.ReportActionAsync(bob, "Read product 1", points: 2);
        cut.WaitForAssertion(() => Assert.Equal(["Bob", "Ada"], cut.FindAll("[data-testid=leaderboard-row]").Select(r => r.GetAttribute("data-nickname"))), Wait);
        Assert.Equal("2 points", cut.FindAll("[data-testid=leaderboard-score]")[0].TextContent);
        Assert.Contains("{class:" + code + "}:leaderboard", cut.Find("[data-testid=leaderboard-panel]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=leaderboard-reset]").Click());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=leaderboard-empty]")), Wait);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(classes.ClassKey(code, "leaderboard")));
    }

    [Fact]
    public async Task A_learners_crafted_reset_is_refused_and_the_scores_stay()
    {
        var (ctx, classes, _, board) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = await JoinAsync(classes, code, "Ada");
        await classes.ReportActionAsync(ada, "Read product 1");

        var cut = ctx.RenderWithProviders<ClassLeaderboardPanel>(p => p.Add(x => x.Code, code));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=leaderboard-row]")), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=leaderboard-reset]").Click());

        Assert.Equal(TeacherOnlyNote.Text, cut.Find("[data-testid=leaderboard-error]").TextContent);
        Assert.Equal(1, (await board.RankAsync(code, ada.Learner)).Value!.Score);
    }

    [Fact]
    public async Task The_teachers_channel_panel_shows_history_and_live_posts_highlights_the_teacher_and_mutes_a_learner()
    {
        var (ctx, classes, channel, _) = NewContext();
        await using var dispose = ctx;
        ctx.ActAsTeacher();
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = await JoinAsync(classes, code, "Ada");
        await channel.PostAsync(ada, "before the panel opened");

        var cut = ctx.RenderWithProviders<ClassChannelPanel>(p => p.Add(x => x.Code, code));
        cut.WaitForAssertion(() => Assert.Equal(["before the panel opened"], cut.FindAll("[data-testid=chat-text]").Select(e => e.TextContent)), Wait);
        cut.WaitForAssertion(() => Assert.Equal(1, ctx.Services.GetRequiredService<ClassChannelHub>().SubscriberCount(code)), Wait);

        await channel.PostAsync(ada, "<b>live</b>");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=chat-message]").Count), Wait);
        Assert.Equal("<b>live</b>", cut.FindAll("[data-testid=chat-text]")[1].TextContent);
        Assert.Empty(cut.FindAll("[data-testid=chat-messages] b"));

        await cut.InvokeAsync(() => cut.Find("input[data-testid=teacher-chat-input]").Input("Eyes on the projector"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=teacher-chat-send]").Click());
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=chat-message]").Count), Wait);
        var teacher = cut.FindAll("[data-testid=chat-message]")[2];
        Assert.Equal("true", teacher.GetAttribute("data-teacher"));
        Assert.Contains("br-chat-teacher", teacher.ClassList);
        Assert.Equal("false", cut.FindAll("[data-testid=chat-message]")[0].GetAttribute("data-teacher"));

        await cut.InvokeAsync(() => cut.FindAll("button[data-testid=chat-mute]")[0].Click());

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("button[data-testid=chat-unmute]").Count), Wait);
        Assert.True(await channel.IsMutedAsync(code, ada.Learner));
        var refused = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => channel.PostAsync(ada, "still here?"));
        Assert.Contains("muted", refused.Message, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.FindAll("button[data-testid=chat-unmute]")[0].Click());
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("button[data-testid=chat-mute]").Count), Wait);
        Assert.False(await channel.IsMutedAsync(code, ada.Learner));
    }

    [Fact]
    public async Task A_learners_crafted_mute_or_teacher_post_is_refused()
    {
        var (ctx, classes, channel, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = await JoinAsync(classes, code, "Ada");
        await channel.PostAsync(ada, "hello");

        var cut = ctx.RenderWithProviders<ClassChannelPanel>(p => p.Add(x => x.Code, code));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=chat-mute]")), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-mute]").Click());
        Assert.Equal(TeacherOnlyNote.Text, cut.Find("[data-testid=channel-error]").TextContent);
        await cut.InvokeAsync(() => cut.Find("input[data-testid=teacher-chat-input]").Input("I am the teacher now"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=teacher-chat-send]").Click());

        Assert.Equal(TeacherOnlyNote.Text, cut.Find("[data-testid=channel-error]").TextContent);
        Assert.False(await channel.IsMutedAsync(code, ada.Learner));
        Assert.Equal(["hello"], (await channel.HistoryAsync(code)).Value.Select(m => m.Text));
    }

    [Fact]
    public async Task The_learners_chat_card_shows_history_posts_refuses_bad_text_follows_a_mute_and_shows_the_rank()
    {
        var (ctx, classes, channel, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = await JoinAsync(classes, code, "Ada");
        var bob = await JoinAsync(classes, code, "Bob");
        await channel.PostAsTeacherAsync(code, "Welcome");
        await classes.ReportActionAsync(bob, "a", points: 3);

        var cut = ctx.RenderWithProviders<ClassChatCard>(p => p.Add(x => x.Membership, me).Add(x => x.StartOpen, true));
        cut.WaitForAssertion(() => Assert.Equal(["Welcome"], cut.FindAll("[data-testid=chat-text]").Select(e => e.TextContent)), Wait);
        Assert.Equal("true", cut.Find("[data-testid=chat-message]").GetAttribute("data-teacher"));
        Assert.Contains("Run something", cut.Find("[data-testid=my-rank]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(1, ctx.Services.GetRequiredService<ClassChannelHub>().SubscriberCount(code)), Wait);

        await classes.ReportActionAsync(me, "a");
        cut.WaitForAssertion(() => Assert.Equal("You are #2 of 2 on the leaderboard with 1 point.", cut.Find("[data-testid=my-rank]").TextContent), Wait);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=chat-input]").Input("two\u202Elines"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-send]").Click());
        cut.WaitForAssertion(() => Assert.Contains("text direction", cut.Find("[data-testid=chat-error]").TextContent, StringComparison.Ordinal), Wait);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=chat-input]").Input("Is SET atomic?"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-send]").Click());
        cut.WaitForAssertion(() => Assert.Equal(["Welcome", "Is SET atomic?"], cut.FindAll("[data-testid=chat-text]").Select(e => e.TextContent)), Wait);
        Assert.Empty(cut.FindAll("[data-testid=chat-error]"));

        await channel.PostAsync(bob, "Yes");
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=chat-message]").Count), Wait);

        await channel.MuteAsync(code, me.Learner);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=chat-muted]")), Wait);
        await cut.InvokeAsync(() => cut.Find("input[data-testid=chat-input]").Input("let me speak"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-send]").Click());
        cut.WaitForAssertion(() => Assert.Contains("The teacher muted you", cut.Find("[data-testid=chat-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(3, (await channel.HistoryAsync(code)).Value.Count);
    }

    [Fact]
    public async Task A_message_posted_between_the_cards_subscription_and_its_history_read_still_counts_as_new()
    {
        // The race a busy machine hit: the message is stored (so the card's history read at open shows it) and published
        // after the card subscribed (so it arrives live too). Shown once, and counted as new; the learner's own post is not.
        var (ctx, classes, channel, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = await JoinAsync(classes, code, "Ada");
        var db = redis.Multiplexer.GetDatabase();
        var between = new ClassChannelMessage("m-between", code, null, ClassChannel.TeacherName, "Posted as you opened the page", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var mine = new ClassChannelMessage("m-mine", code, me.Learner, me.Nickname, "My own, from another tab", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await db.ListRightPushAsync(classes.ClassKey(code, "chat"), [between.ToJson(), mine.ToJson()]);

        // Opened (so the history read has finished and shows both), then hidden, then both arrive live.
        var cut = ctx.RenderWithProviders<ClassChatCard>(p => p.Add(x => x.Membership, me).Add(x => x.StartOpen, true));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=chat-text]").Count), Wait);
        cut.WaitForAssertion(() => Assert.Contains("Run something", cut.Find("[data-testid=my-rank]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(1, ctx.Services.GetRequiredService<ClassChannelHub>().SubscriberCount(code));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-close]").Click());
        Assert.Equal("Class channel", cut.Find("button[data-testid=chat-open]").TextContent.Trim());
        await redis.Multiplexer.GetSubscriber().PublishAsync(channel.Channel(code), between.ToJson());
        await redis.Multiplexer.GetSubscriber().PublishAsync(channel.Channel(code), mine.ToJson());

        cut.WaitForAssertion(() => Assert.Equal("Class channel (1 new)", cut.Find("button[data-testid=chat-open]").TextContent.Trim()), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-open]").Click());
        Assert.Equal(["Posted as you opened the page", "My own, from another tab"], cut.FindAll("[data-testid=chat-text]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task The_chat_card_shows_the_post_limit_message_and_posts_nothing()
    {
        var (ctx, classes, channel, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = await JoinAsync(classes, code, "Ada");
        for (var i = 0; i < classes.Options.ChatPostLimit; i++)
        {
            await channel.PostAsync(me, "quick " + i);
        }

        var cut = ctx.RenderWithProviders<ClassChatCard>(p => p.Add(x => x.Membership, me).Add(x => x.StartOpen, true));
        cut.WaitForAssertion(() => Assert.Equal(classes.Options.ChatPostLimit, cut.FindAll("[data-testid=chat-text]").Count), Wait);
        await cut.InvokeAsync(() => cut.Find("input[data-testid=chat-input]").Input("one more"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-send]").Click());

        cut.WaitForAssertion(() => Assert.Contains("posting too fast", cut.Find("[data-testid=chat-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(classes.Options.ChatPostLimit, (await channel.HistoryAsync(code)).Value.Count);
    }

    [Fact]
    public async Task The_closed_chat_card_counts_new_messages()
    {
        var (ctx, classes, channel, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = await JoinAsync(classes, code, "Ada");

        var cut = ctx.RenderWithProviders<ClassChatCard>(p => p.Add(x => x.Membership, me));
        cut.WaitForAssertion(() => Assert.Equal(1, ctx.Services.GetRequiredService<ClassChannelHub>().SubscriberCount(code)), Wait);
        await channel.PostAsTeacherAsync(code, "one");
        await channel.PostAsTeacherAsync(code, "two");

        cut.WaitForAssertion(() => Assert.Equal("Class channel (2 new)", cut.Find("button[data-testid=chat-open]").TextContent.Trim()), Wait);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=chat-open]").Click());
        Assert.Equal(["one", "two"], cut.FindAll("[data-testid=chat-text]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task A_learner_in_a_class_gets_the_chat_card_on_every_page()
    {
        var (ctx, classes, _, _) = NewContext();
        await using var dispose = ctx;
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", ctx.Learner.Id, ClassTestKit.Client())).Value;
        ctx.Services.GetRequiredService<ClassPresenceState>().Membership = me;

        var cut = ctx.RenderWithProviders<ClassLive>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=chat-card]")), Wait);
    }

    [Fact]
    public async Task The_message_list_says_when_it_is_empty_and_highlights_only_the_teacher()
    {
        await using var ctx = new MudTestContext();
        ClassChannelMessage[] messages =
        [
            new("a1", "ABCDEF", null, ClassChannel.TeacherName, "Hello class", 1),
            new("a2", "ABCDEF", LearnerId.New().Value, "Ada", "Hi", 2),
        ];

        var cut = ctx.RenderWithProviders<ChannelMessageList>(p => p.Add(x => x.Messages, []));
        Assert.Equal("No messages yet.", cut.Find("[data-testid=chat-empty]").TextContent);

        cut.Render(p => p.Add(x => x.Messages, messages));
        var items = cut.FindAll("[data-testid=chat-message]");
        Assert.Equal([true, false], items.Select(i => i.ClassList.Contains("br-chat-teacher")));
        Assert.Equal("Ada", items[1].GetAttribute("data-author"));
    }
}
