using System.Threading.Channels;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>Class events over the real Redis pub/sub, fanned out in process by one subscription.</summary>
public class ClassEventHubTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Two_components_of_one_instance_both_receive_a_join_through_one_subscription()
    {
        var classes = ClassTestKit.NewService(redis);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var code = (await classes.OpenAsync()).Value.Code;
        var a = Channel.CreateUnbounded<ClassEvent>();
        var b = Channel.CreateUnbounded<ClassEvent>();
        using var subA = await hub.SubscribeAsync(code, e => a.Writer.WriteAsync(e).AsTask());
        using var subB = await hub.SubscribeAsync(code, e => b.Writer.WriteAsync(e).AsTask());

        var learner = LearnerId.New();
        await classes.JoinAsync(code, "Ada", learner, ClassTestKit.Client());

        foreach (var inbox in new[] { a, b })
        {
            var evt = await inbox.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);
            Assert.Equal(ClassEventKind.Joined, evt.Kind);
            Assert.Equal("Ada", evt.Nickname);
            Assert.Equal(learner.Value, evt.Learner);
        }

        Assert.Equal(2, hub.SubscriberCount(code));
        var subscriptions = (long)(await redis.Multiplexer.GetServers()[0].ExecuteAsync("PUBSUB", "NUMSUB", classes.ChannelPrefix + code))[1];
        Assert.Equal(0, subscriptions); // no per-class channel subscription: one pattern serves every class
    }

    [Fact]
    public async Task An_unsubscribed_component_gets_nothing_and_another_class_events_never_arrive()
    {
        var classes = ClassTestKit.NewService(redis);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var code = (await classes.OpenAsync()).Value.Code;
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());
        var other = Channel.CreateUnbounded<ClassEvent>();
        using var otherSub = await hub.SubscribeAsync("ZZZZZZ", e => other.Writer.WriteAsync(e).AsTask());

        sub.Dispose();
        Assert.Equal(0, hub.SubscriberCount(code));
        var me = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        await classes.ReportPageAsync(me, "/x");

        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(inbox.Reader.TryRead(out _));
        Assert.False(other.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_removed_learner_and_a_closed_class_are_announced()
    {
        var classes = ClassTestKit.NewService(redis);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());

        await classes.RemoveAsync(code, me.Learner);
        await classes.CloseAsync(code);

        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ClassEventKind.Removed, (await inbox.Reader.ReadAsync(ct).AsTask().WaitAsync(Wait, ct)).Kind);
        Assert.Equal(ClassEventKind.Closed, (await inbox.Reader.ReadAsync(ct).AsTask().WaitAsync(Wait, ct)).Kind);
    }
}
