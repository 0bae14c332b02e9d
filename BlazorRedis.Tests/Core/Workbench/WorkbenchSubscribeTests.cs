using System.Threading.Channels;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>SUBSCRIBE and PSUBSCRIBE in the workbench, on a real Redis: in the learner's channel space, as redis-cli prints them.</summary>
public class WorkbenchSubscribeTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TimeSpan Patience => TimeSpan.FromSeconds(10);

    private static Channel<WorkbenchReply> Inbox(WorkbenchSession session)
    {
        var inbox = Channel.CreateUnbounded<WorkbenchReply>();
        session.MessageReceived += m => inbox.Writer.TryWrite(m);
        return inbox;
    }

    private static async Task<string> NextAsync(Channel<WorkbenchReply> inbox)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience);
        var message = await inbox.Reader.ReadAsync(timeout.Token);
        Assert.True(message.IsPush);
        return message.Text;
    }

    [Fact]
    public async Task A_subscription_prints_what_the_learner_publishes_and_nothing_another_learner_does()
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);
        var learner = LearnerId.New();
        using var listening = executor.OpenSession(learner);
        using var publishing = executor.OpenSession(learner);
        using var neighbour = executor.OpenSession(LearnerId.New());
        var inbox = Inbox(listening);

        var subscribed = await executor.ExecuteAsync(listening, "SUBSCRIBE news", Ct);
        var theirs = await executor.ExecuteAsync(neighbour, "PUBLISH news not-for-you", Ct);
        var mine = await executor.ExecuteAsync(publishing, "PUBLISH news hello", Ct);

        Assert.Equal("1) \"subscribe\"\n2) \"news\"\n3) (integer) 1", subscribed.Text);
        Assert.StartsWith("SUBSCRIBE " + listening.Prefix[..10], subscribed.Trace.Commands[0].Text, StringComparison.Ordinal);
        Assert.Equal("(integer) 0", theirs.Text);
        Assert.Equal("(integer) 1", mine.Text);
        Assert.Equal("1) \"message\"\n2) \"news\"\n3) \"hello\"", await NextAsync(inbox));
        Assert.Equal(["news"], listening.Subscriptions);
    }

    [Fact]
    public async Task A_pattern_subscription_prints_pmessage_with_the_pattern_and_the_channel()
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);
        var learner = LearnerId.New();
        using var listening = executor.OpenSession(learner);
        using var publishing = executor.OpenSession(learner);
        var inbox = Inbox(listening);

        var subscribed = await executor.ExecuteAsync(listening, "PSUBSCRIBE orders.*", Ct);
        await executor.ExecuteAsync(publishing, "PUBLISH orders.created 42", Ct);

        Assert.Equal("1) \"psubscribe\"\n2) \"orders.*\"\n3) (integer) 1", subscribed.Text);
        Assert.Equal("1) \"pmessage\"\n2) \"orders.*\"\n3) \"orders.created\"\n4) \"42\"", await NextAsync(inbox));
    }

    [Fact]
    public async Task Unsubscribe_stops_one_console_while_the_learners_other_tab_keeps_listening()
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);
        var learner = LearnerId.New();
        using var first = executor.OpenSession(learner);
        using var second = executor.OpenSession(learner);
        var firstInbox = Inbox(first);
        var secondInbox = Inbox(second);
        await executor.ExecuteAsync(first, "SUBSCRIBE a b", Ct);
        await executor.ExecuteAsync(second, "SUBSCRIBE a", Ct);

        var stopped = await executor.ExecuteAsync(first, "UNSUBSCRIBE", Ct);
        await executor.ExecuteAsync(second, "PUBLISH a still-here", Ct);

        Assert.Equal("1) \"unsubscribe\"\n2) \"a\"\n3) (integer) 1\n1) \"unsubscribe\"\n2) \"b\"\n3) (integer) 0", stopped.Text);
        Assert.Equal("1) \"message\"\n2) \"a\"\n3) \"still-here\"", await NextAsync(secondInbox));
        Assert.False(firstInbox.Reader.TryRead(out _));
        Assert.Empty(first.Subscriptions);
    }

    [Fact]
    public async Task Closing_the_console_ends_its_subscriptions()
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);
        var learner = LearnerId.New();
        var closing = executor.OpenSession(learner);
        using var other = executor.OpenSession(learner);
        await executor.ExecuteAsync(closing, "SUBSCRIBE gone", Ct);

        Assert.Equal("(integer) 1", (await executor.ExecuteAsync(other, "PUBLISH gone hello", Ct)).Text);
        closing.Dispose();

        // The UNSUBSCRIBE goes on the subscriber's own connection, not waited for: Redis counts no receiver soon after.
        var receivers = "";
        for (var i = 0; i < 100 && receivers != "(integer) 0"; i++)
        {
            await Task.Delay(50, Ct);
            receivers = (await executor.ExecuteAsync(other, "PUBLISH gone hello", Ct)).Text;
        }

        Assert.Equal("(integer) 0", receivers);
    }

    [Fact]
    public async Task A_console_listens_to_at_most_ten_channels_and_shard_channels_are_refused()
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);
        using var session = executor.OpenSession(LearnerId.New());

        await executor.ExecuteAsync(session, "SUBSCRIBE " + string.Join(' ', Enumerable.Range(0, WorkbenchExecutor.MaxSubscriptions).Select(i => $"c{i}")), Ct);
        var eleventh = await executor.ExecuteAsync(session, "SUBSCRIBE one-more", Ct);
        var shard = await executor.ExecuteAsync(session, "SSUBSCRIBE s", Ct);

        Assert.True(eleventh.IsError);
        Assert.Contains("at most 10 channels", eleventh.Text, StringComparison.Ordinal);
        Assert.False(eleventh.Sent);
        Assert.Contains("NOPERM", shard.Text, StringComparison.Ordinal);
        Assert.Equal(WorkbenchExecutor.MaxSubscriptions, session.Subscriptions.Count);
    }
}
