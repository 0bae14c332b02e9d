using System.Threading.Channels;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

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
        long subscriptions = 0;
        foreach (var server in redis.Multiplexer.GetServers()) // every node of a cluster
        {
            subscriptions += (long)(await server.ExecuteAsync("PUBSUB", "NUMSUB", classes.ChannelPrefix + code))[1];
        }

        Assert.Equal(0, subscriptions); // no per-class channel subscription: one pattern serves every class
    }

    [Fact]
    public async Task A_component_gets_a_class_events_in_the_order_they_were_published()
    {
        // "Bring everyone here" to one page then to another must leave every learner on the second; a reply in the class
        // channel must not arrive before its question. Two hundred events pipelined on one connection, in one order.
        var classes = ClassTestKit.NewService(redis);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var code = (await classes.OpenAsync()).Value.Code;
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());

        var db = redis.Multiplexer.GetDatabase();
        var sent = Enumerable.Range(0, 200).Select(i => "/step/" + i).ToList();
        await Task.WhenAll(sent.Select(path => db.PublishAsync(classes.Channel(code), new ClassEvent(ClassEventKind.BringHere, code, null, null, path, 0).ToJson())));

        var received = new List<string>();
        while (received.Count < sent.Count)
        {
            received.Add((await inbox.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken)).Text ?? "");
        }

        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task An_event_published_once_reaches_every_app_instance_and_its_publish_counts_them_all()
    {
        // Three app instances: each its own connection (on a cluster, to every node) and its one pattern subscription.
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        await using var connectionB = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var connectionC = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var hubA = ClassTestKit.NewHub(redis, classes);
        await using var hubB = new ClassEventHub(connectionB, classes, NullLogger<ClassEventHub>.Instance);
        await using var hubC = new ClassEventHub(connectionC, classes, NullLogger<ClassEventHub>.Instance);
        var inboxes = new[] { Channel.CreateUnbounded<ClassEvent>(), Channel.CreateUnbounded<ClassEvent>(), Channel.CreateUnbounded<ClassEvent>() };
        using var subA = await hubA.SubscribeAsync(code, e => inboxes[0].Writer.WriteAsync(e).AsTask());
        using var subB = await hubB.SubscribeAsync(code, e => inboxes[1].Writer.WriteAsync(e).AsTask());
        using var subC = await hubC.SubscribeAsync(code, e => inboxes[2].Writer.WriteAsync(e).AsTask());

        var joined = await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client());

        // On a Redis Cluster PUBLISH counts only the subscribers of the node it reached: the class channels' one hash tag
        // sends every instance's subscription and every PUBLISH to one node, so the teacher reads every instance there too.
        var publish = Assert.Single(joined.Trace.Commands, c => c.Text.StartsWith("PUBLISH ", StringComparison.Ordinal));
        Assert.Equal("3 subscribers (app instances) received it", publish.Result);
        foreach (var inbox in inboxes)
        {
            var evt = await inbox.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);
            Assert.Equal((ClassEventKind.Joined, "Ada"), (evt.Kind, evt.Nickname));
        }
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
