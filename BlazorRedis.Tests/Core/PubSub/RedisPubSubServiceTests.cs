using System.Globalization;
using System.Threading.Channels;
using BlazorRedis.Core;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.PubSub;

public class RedisPubSubServiceTests(RedisServerFixture redis)
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    internal static RedisPubSubService NewService(RedisServerFixture redis) =>
        new(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, TimeProvider.System, Options.Create(new PubSubOptions()));

    internal static (Func<PubSubMessage, Task> Handler, ChannelReader<PubSubMessage> Received) Inbox()
    {
        var channel = Channel.CreateUnbounded<PubSubMessage>();
        return (m => channel.Writer.WriteAsync(m).AsTask(), channel.Reader);
    }

    [Fact]
    public async Task A_pattern_subscriber_receives_messages_of_every_matching_channel()
    {
        var service = NewService(redis);
        var (handler, inbox) = Inbox();
        var subscribed = await service.SubscribeAsync("orders.*", isPattern: true, handler);
        await using var sub = subscribed.Value;
        Assert.Contains("PSUBSCRIBE", subscribed.Trace.WireNames);

        var published = await service.PublishAsync("orders.created", "order 42");
        await service.PublishAsync("payments.settled", "not for you");
        await service.PublishAsync("orders.shipped", "order 43");

        var first = await inbox.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);
        var second = await inbox.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.Equal(("orders.created", "order 42"), (first.Channel, first.Message));
        Assert.Equal(("orders.shipped", "order 43"), (second.Channel, second.Message));
        Assert.Equal(service.ChannelPrefix + "orders.*", first.Pattern);
        Assert.Equal(service.ChannelPrefix + "orders.created", first.FullChannel);
        Assert.Equal(1, published.Value.Receivers);
        Assert.Equal(["EVAL", "PUBLISH"], published.Trace.WireNames.Order(StringComparer.Ordinal)); // the journal's XADD, trim and EXPIRE run in one script
        Assert.All(published.Trace.Commands, c => Assert.Equal(c.Text.Split(' ')[0], Assert.Single(c.Wire).Name)); // the trace says what went out
    }

    [Fact]
    public async Task Channels_live_under_the_app_prefix()
    {
        var service = NewService(redis);
        var (handler, inbox) = Inbox();
        var raw = redis.Multiplexer.GetSubscriber();
        var rawQueue = await raw.SubscribeAsync(RedisChannel.Literal(service.ChannelPrefix + "news"));
        try
        {
            var result = await service.PublishAsync("news", "hello");

            var message = await rawQueue.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);
            Assert.Equal("hello", message.Message.ToString());
            Assert.Equal(service.ChannelPrefix + "news", result.Value.FullChannel);
            Assert.Contains(result.Trace.Commands, c => c.Text.StartsWith("PUBLISH " + service.ChannelPrefix + "news ", StringComparison.Ordinal));
        }
        finally
        {
            await rawQueue.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task Publish_counts_receivers_and_nobody_listening_means_zero()
    {
        var service = NewService(redis);

        Assert.Equal(0, (await service.PublishAsync("lonely", "anyone?")).Value.Receivers);

        var (handler, _) = Inbox();
        await using var literal = (await service.SubscribeAsync("lonely", isPattern: false, handler)).Value;
        await using var pattern = (await service.SubscribeAsync("lone*", isPattern: true, handler)).Value;
        Assert.Equal(2, (await service.PublishAsync("lonely", "now?")).Value.Receivers);
    }

    [Fact]
    public async Task Unsubscribing_one_handler_leaves_the_others_on_the_same_channel_listening()
    {
        var service = NewService(redis);
        var (h1, inbox1) = Inbox();
        var (h2, inbox2) = Inbox();
        var firstTraced = await service.SubscribeAsync("shared", isPattern: false, h1);
        var first = firstTraced.Value;
        Assert.Contains("SUBSCRIBE", firstTraced.Trace.WireNames); // the first handler makes the connection subscribe
        var second = await service.SubscribeAsync("shared", isPattern: false, h2);
        Assert.Empty(second.Trace.WireNames); // the connection already listened: nothing went out
        Assert.Contains("no command sent", second.Trace.Commands[0].Result, StringComparison.Ordinal);

        var trace = await service.UnsubscribeAsync(first);
        Assert.Empty(trace.WireNames);
        Assert.Equal(1, (await service.PublishAsync("shared", "still here")).Value.Receivers);
        var got = await inbox2.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.Equal("still here", got.Message);

        var last = await service.UnsubscribeAsync(second.Value);
        Assert.Contains("UNSUBSCRIBE", last.WireNames);
        Assert.Equal(0, (await service.PublishAsync("shared", "gone")).Value.Receivers);
        Assert.False(inbox1.TryRead(out _));
    }

    [Fact]
    public async Task An_offline_subscriber_misses_messages_while_a_consumer_group_catches_up_and_acks()
    {
        var service = NewService(redis);
        const string group = "late-readers";
        Assert.True((await service.CreateGroupAsync(group)).Value);
        Assert.False((await service.CreateGroupAsync(group)).Value); // it keeps its position
        var (handler, inbox) = Inbox();
        var online = (await service.SubscribeAsync("orders.*", isPattern: true, handler)).Value;
        await service.UnsubscribeAsync(online); // the subscriber goes offline

        var missed = (await service.PublishAsync("orders.created", "while you were away")).Value;

        Assert.Equal(0, missed.Receivers);
        await using var back = (await service.SubscribeAsync("orders.*", isPattern: true, handler)).Value;
        await service.PublishAsync("orders.created", "after you came back");
        var first = await inbox.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.Equal("after you came back", first.Message); // pub/sub keeps nothing: the earlier message is gone for good

        var read = await service.ReadGroupAsync(group, "reader-1");
        Assert.Equal(["while you were away", "after you came back"], read.Value.Select(e => e.Message));
        Assert.Equal(missed.JournalId, read.Value[0].Id);
        Assert.Equal("orders.created", read.Value[0].Channel);
        Assert.Equal(2, (await service.GroupStatusAsync(group)).Value.Pending);

        var acked = await service.AckAsync(group, [.. read.Value.Select(e => e.Id)]);

        Assert.Equal(2, acked.Value);
        Assert.Equal(0, (await service.GroupStatusAsync(group)).Value.Pending);
        Assert.Empty((await service.ReadGroupAsync(group, "reader-1")).Value);
        Assert.Contains("XREADGROUP", read.Trace.WireNames);
        Assert.Contains("XACK", acked.Trace.WireNames);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("orders.*", false)]
    [InlineData("orders?", false)]
    [InlineData("a[bc]", false)]
    [InlineData("line\r\nbreak", false)]
    [InlineData("line\r\nbreak", true)]
    [InlineData("", true)]
    public async Task Bad_channel_names_and_patterns_are_refused(string name, bool isPattern)
    {
        var service = NewService(redis);
        var (handler, _) = Inbox();

        await Assert.ThrowsAsync<LearnerInputException>(() => service.SubscribeAsync(name, isPattern, handler));
        if (!isPattern)
        {
            await Assert.ThrowsAsync<LearnerInputException>(() => service.PublishAsync(name, "x"));
        }
    }

    [Fact]
    public async Task Names_longer_than_200_characters_are_refused_and_200_is_fine()
    {
        var service = NewService(redis);

        await Assert.ThrowsAsync<LearnerInputException>(() => service.PublishAsync(new string('c', 201), "x"));
        Assert.Equal(0, (await service.PublishAsync(new string('c', 200), "x")).Value.Receivers);
    }

    [Fact]
    public async Task Messages_over_64_KB_are_refused_before_anything_is_sent()
    {
        var service = NewService(redis);
        var db = redis.Multiplexer.GetDatabase();

        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => service.PublishAsync("big", new string('x', 64 * 1024 + 1)));

        Assert.Equal("message", ex.ParamName);
        Assert.False(await db.KeyExistsAsync(service.JournalKey));
        await Assert.ThrowsAsync<LearnerInputException>(() => service.PublishAsync("big", new string('é', 32 * 1024 + 1))); // 2 bytes each in UTF-8
        Assert.Equal(0, (await service.PublishAsync("big", new string('x', 64 * 1024))).Value.Receivers);
        Assert.Equal(1, await db.StreamLengthAsync(service.JournalKey));
    }

    [Fact]
    public async Task A_burst_of_large_messages_keeps_the_journal_within_its_byte_budget_and_keeps_the_newest()
    {
        // 1,500 publishes of 64 KB once made a 96 MB journal; the count bound alone (1,000 entries) allowed 64 MB.
        var service = new RedisPubSubService(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, TimeProvider.System, Options.Create(new PubSubOptions { JournalMaxKilobytes = 256 }));
        var db = redis.Multiplexer.GetDatabase();
        var big = new string('x', 60 * 1024);
        string? lastId = null;

        for (var i = 0; i < 40; i++)
        {
            lastId = (await service.PublishAsync("big", big + i.ToString(CultureInfo.InvariantCulture))).Value.JournalId;
        }

        var entries = await db.StreamRangeAsync(service.JournalKey);
        var held = entries.Sum(e => e["channel"].ToString().Length + e["message"].ToString().Length);
        Assert.InRange(held, 1, 256 * 1024);
        Assert.Equal(4, entries.Length); // 4 × 60 KB fit in 256 KB, a fifth would not
        Assert.Equal(lastId, entries[^1].Id.ToString());
        Assert.Equal(big + "39", entries[^1]["message"].ToString());
        Assert.True(await db.KeyTimeToLiveAsync(service.JournalKey) > TimeSpan.FromHours(23));

        // Small messages after the burst are all kept: the budget counts bytes, not entries.
        for (var i = 0; i < 10; i++)
        {
            await service.PublishAsync("small", "tick " + i.ToString(CultureInfo.InvariantCulture));
        }

        entries = await db.StreamRangeAsync(service.JournalKey);
        Assert.Equal(14, entries.Length); // the four 60 KB entries still fit beside the ten small ones
        Assert.Equal("tick 9", entries[^1]["message"].ToString());
        var group = await service.CreateGroupAsync("readers");
        Assert.True(group.Value);
    }

    [Fact]
    public async Task A_message_larger_than_the_whole_budget_is_still_journaled_alone()
    {
        var service = new RedisPubSubService(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, TimeProvider.System, Options.Create(new PubSubOptions { JournalMaxKilobytes = 64 }));
        var db = redis.Multiplexer.GetDatabase();
        await service.PublishAsync("small", "first");

        var published = await service.PublishAsync("big", new string('y', 64 * 1024));

        var entry = Assert.Single(await db.StreamRangeAsync(service.JournalKey));
        Assert.Equal(published.Value.JournalId, entry.Id.ToString());
    }

    [Fact]
    public async Task A_subscribe_that_runs_out_of_budget_leaves_no_subscription_behind_once_redis_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var server = await BlazorRedis.Core.Connection.EmbeddedRedisServer.StartAsync(new BlazorRedis.Core.Connection.EmbeddedRedisOptions(), cancellationToken: ct);
        var options = ConfigurationOptions.Parse(server.EndPoint);
        options.AllowAdmin = true;
        await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(options);
        var service = new RedisPubSubService(mux, new BlazorRedis.Core.Keys.RedisKeyspace("slow:"), new BlazorRedis.Core.Tracing.RedisTracer(mux), TimeProvider.System, Options.Create(new PubSubOptions()), new BlazorRedis.Core.Connection.RedisCommandBudget(mux, TimeSpan.FromMilliseconds(300)));
        var full = service.ChannelPrefix + "late";
        var (handler, _) = Inbox();

        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "1500", "ALL");
        await Assert.ThrowsAsync<TimeoutException>(() => service.SubscribeAsync("late", isPattern: false, handler));

        // The subscription connection answers in order: once this probe is subscribed, so was the late SUBSCRIBE.
        var probe = await mux.GetSubscriber().SubscribeAsync(RedisChannel.Literal("probe"));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        long subscribers;
        while ((subscribers = (long)((RedisResult[])(await admin.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", full))!)[1]) > 0 && sw.Elapsed < Wait)
        {
            await Task.Delay(20, ct);
        }

        await probe.UnsubscribeAsync();
        Assert.Equal(0, subscribers);
    }

    [Fact]
    public async Task Acknowledging_many_ids_sends_bounded_XACK_batches()
    {
        var service = NewService(redis);
        var group = "big-ack-" + Guid.NewGuid().ToString("N");
        await service.CreateGroupAsync(group);
        for (var i = 0; i < 3; i++)
        {
            await service.PublishAsync("acks", $"m{i}");
        }

        var read = await service.ReadGroupAsync(group, "reader");
        string[] ids = [.. read.Value.Select(e => e.Id), .. Enumerable.Range(1, (2 * RedisPubSubService.MaxAckBatch) + 7).Select(i => $"1-{i}")];

        var acked = await service.AckAsync(group, ids);

        Assert.Equal(3, acked.Value);
        Assert.Equal(3, acked.Trace.WireNames.Count(n => n == "XACK"));
        Assert.All(acked.Trace.Commands, c => Assert.InRange(c.Text.Split(' ').Length, 4, RedisPubSubService.MaxAckBatch + 3));
        Assert.Equal(0, (await service.GroupStatusAsync(group)).Value.Pending);
        await service.DeleteGroupAsync(group);
    }
}
