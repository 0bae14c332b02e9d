using System.Threading.Channels;
using BlazorRedis.Core;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>The class channel on the real Redis: pub/sub delivery, the capped history, mute, text rules and the rate limit.</summary>
public class ClassChannelTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(ClassService Classes, ClassChannel Channel, string Code, ClassMembership[] Learners)> ClassAsync(int learners, ClassOptions? options = null)
    {
        var classes = ClassTestKit.NewService(redis, options);
        var code = (await classes.OpenAsync()).Value.Code;
        var members = new ClassMembership[learners];
        for (var i = 0; i < learners; i++)
        {
            members[i] = (await classes.JoinAsync(code, "L" + i, LearnerId.New(), ClassTestKit.Client())).Value;
        }

        return (classes, ClassTestKit.NewChannel(redis, classes), code, members);
    }

    private async Task<long> HistoryLengthAsync(ClassService classes, string code) =>
        await redis.Multiplexer.GetDatabase().ListLengthAsync(classes.ClassKey(code, "chat"));

    [Fact]
    public async Task A_post_reaches_every_hub_over_real_pub_sub_and_the_teachers_is_marked()
    {
        var (_, channel, code, learners) = await ClassAsync(2);
        await using var instanceA = ClassTestKit.NewChannelHub(redis, channel);
        await using var instanceB = ClassTestKit.NewChannelHub(redis, channel);
        var a = Channel.CreateUnbounded<ClassChannelMessage>();
        var b = Channel.CreateUnbounded<ClassChannelMessage>();
        using var subA = await instanceA.SubscribeAsync(code, m => a.Writer.WriteAsync(m).AsTask());
        using var subB = await instanceB.SubscribeAsync(code, m => b.Writer.WriteAsync(m).AsTask());

        var posted = await channel.PostAsync(learners[0], "  Is HGETALL O(n)?  ");
        await channel.PostAsTeacherAsync(code, "Yes: n is the number of fields.");

        Assert.Contains(posted.Trace.Commands, c => c.Text.StartsWith("PUBLISH ", StringComparison.Ordinal) && c.Result.StartsWith("1 subscriber ", StringComparison.Ordinal));
        foreach (var inbox in new[] { a, b })
        {
            var first = await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
            Assert.Equal(("L0", "Is HGETALL O(n)?", false), (first.Nickname, first.Text, first.FromTeacher));
            Assert.Equal(posted.Value.Id, first.Id);
            var second = await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
            Assert.True(second.FromTeacher);
            Assert.Equal(ClassChannel.TeacherName, second.Nickname);
        }

        long numsub = 0;
        foreach (var server in redis.Multiplexer.GetServers()) // every node of a cluster
        {
            numsub += (long)(await server.ExecuteAsync("PUBSUB", "NUMSUB", channel.ChannelPrefix + code))[1];
        }

        Assert.Equal(0, numsub); // one pattern subscription per connection (PUBLISH counted 1 for two hubs), none per class
    }

    [Fact]
    public async Task The_history_keeps_the_last_fifty_messages_for_a_late_joiner()
    {
        var (classes, channel, code, _) = await ClassAsync(0);
        for (var i = 1; i <= ClassChannel.HistoryLength + 5; i++)
        {
            await channel.PostAsTeacherAsync(code, "message " + i);
        }

        var late = (await classes.JoinAsync(code, "Late", LearnerId.New(), ClassTestKit.Client())).Value;
        var history = (await channel.HistoryAsync(late.Code)).Value;

        Assert.Equal(ClassChannel.HistoryLength, history.Count);
        Assert.Equal("message 6", history[0].Text);
        Assert.Equal("message " + (ClassChannel.HistoryLength + 5), history[^1].Text);
        Assert.Equal(ClassChannel.HistoryLength, await HistoryLengthAsync(classes, code));
    }

    [Fact]
    public async Task A_muted_learner_is_refused_with_a_clear_message_until_unmuted()
    {
        var (classes, channel, code, learners) = await ClassAsync(2);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var events = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => events.Writer.WriteAsync(e).AsTask());

        Assert.True((await channel.MuteAsync(code, learners[0].Learner)).Value);
        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => channel.PostAsync(learners[0], "let me speak"));
        Assert.Contains("muted you", refused.Message, StringComparison.Ordinal);
        await channel.PostAsync(learners[1], "I am not muted");
        Assert.True(await channel.IsMutedAsync(code, learners[0].Learner));
        Assert.Equal([learners[0].Learner], await channel.MutedAsync(code));

        var muted = await events.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        Assert.Equal((ClassEventKind.Muted, learners[0].Learner, "L0"), (muted.Kind, muted.Learner, muted.Nickname));

        await channel.UnmuteAsync(code, learners[0].Learner);
        await channel.PostAsync(learners[0], "thanks");

        Assert.Equal(["I am not muted", "thanks"], (await channel.HistoryAsync(code)).Value.Select(m => m.Text));
        Assert.Equal(ClassEventKind.Unmuted, (await events.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Kind);
        await Assert.ThrowsAsync<LearnerInputException>(() => channel.MuteAsync(code, LearnerId.New().Value));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("line one\nline two", "control characters")]
    [InlineData("tab\there", "control characters")]
    [InlineData("hello \u202Eevil", "text direction")]
    [InlineData("\u2066isolate", "text direction")]
    [InlineData("hello\u200B", "U+200B (zero width space)")] // the shared rule: invisible characters too
    [InlineData("\u2800", "U+2800 (Braille blank)")]
    public async Task Bad_text_is_refused_with_a_clear_message_and_nothing_is_stored_or_sent(string text, string reason)
    {
        var (classes, channel, code, learners) = await ClassAsync(1);

        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => channel.PostAsync(learners[0], text));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await HistoryLengthAsync(classes, code));
    }

    [Fact]
    public void A_broken_character_is_refused()
    {
        var refused = Assert.Throws<LearnerInputException>(() => ClassChannel.CleanMessage("broken " + '\uD800' + " surrogate"));
        Assert.Contains("broken character", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Length_is_counted_as_a_reader_counts_and_html_is_kept_as_plain_text()
    {
        var (classes, channel, code, learners) = await ClassAsync(1);

        var tooLong = await Assert.ThrowsAsync<LearnerInputException>(() => channel.PostAsync(learners[0], new string('x', ClassChannel.MaxLength + 1)));
        Assert.Contains($"at most {ClassChannel.MaxLength} characters (this one has {ClassChannel.MaxLength + 1})", tooLong.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LearnerInputException>(() => channel.PostAsync(learners[0], new string('x', 10_000)));
        Assert.Equal(0, await HistoryLengthAsync(classes, code));

        var emoji = string.Concat(Enumerable.Repeat("🚀", ClassChannel.MaxLength)); // 280 emoji are 560 UTF-16 units
        Assert.Equal(emoji, (await channel.PostAsync(learners[0], emoji)).Value.Text);
        Assert.Equal("<b>bold?</b> <script>alert(1)</script>", (await channel.PostAsync(learners[0], "<b>bold?</b> <script>alert(1)</script>")).Value.Text);
    }

    [Fact]
    public async Task Posts_are_rate_limited_per_learner_and_a_refused_post_is_not_stored()
    {
        var (classes, channel, code, learners) = await ClassAsync(2, new ClassOptions { ChatPostLimit = 3, ChatPostWindowSeconds = 60 });
        for (var i = 0; i < 3; i++)
        {
            await channel.PostAsync(learners[0], "spam " + i);
        }

        var refused = await Assert.ThrowsAsync<BlazorRedis.Core.Budgets.BudgetExceededException>(() => channel.PostAsync(learners[0], "spam 3"));

        Assert.Contains("posting too fast: at most 3 messages every 60 s", refused.Message, StringComparison.Ordinal);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await channel.PostAsync(learners[1], "my own limit");
        await channel.PostAsTeacherAsync(code, "the teacher is not limited");
        Assert.Equal(5, await HistoryLengthAsync(classes, code));
    }

    [Fact]
    public async Task A_learner_of_no_class_or_another_class_cannot_post_and_a_closed_class_refuses()
    {
        var (classes, channel, code, learners) = await ClassAsync(1);
        var stranger = new ClassMembership(code, LearnerId.New().Value, "Mallory");

        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => channel.PostAsync(stranger, "hi"));
        Assert.Contains("Only learners in the class", refused.Message, StringComparison.Ordinal);

        await classes.CloseAsync(code);
        await Assert.ThrowsAsync<ClassNotFoundException>(() => channel.PostAsync(learners[0], "hi"));
        await Assert.ThrowsAsync<ClassNotFoundException>(() => channel.PostAsTeacherAsync(code, "hi"));
    }
}
