using BlazorRedis.App.Components.Pages.PubSub;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Pages;

public class PubSubPageTests : MudTestContext
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(15);
    private readonly RedisPubSubService _service;
    private readonly RedisServerFixture _redis;

    public PubSubPageTests(RedisServerFixture redis)
    {
        _redis = redis;
        _service = new RedisPubSubService(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, TimeProvider.System, Options.Create(new PubSubOptions()));
        Services.AddSingleton<IPubSubService>(_service);
        Services.AddSingleton(NewPublishLimit(new RateLimitingOptions()));
    }

    private PublishLimit NewPublishLimit(RateLimitingOptions options) => new(
        new RedisRateLimitService(_redis.Multiplexer, _redis.Tracer, _redis.NewKeyspace(), Options.Create(options), NullLogger<RedisRateLimitService>.Instance),
        _redis.Tracer,
        Options.Create(options));

    private static IReadOnlyList<string> Feed(IRenderedComponent<PubSub> cut, string panel) =>
        [.. cut.Find($"[data-testid=panel][data-name='{panel}']").QuerySelectorAll("[data-testid=feed-message]").Select(e => e.TextContent)];

    private IRenderedComponent<PubSub> RenderLive()
    {
        var cut = RenderWithProviders<PubSub>();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(3, cut.FindAll("[data-testid=panel]").Count);
            Assert.All(cut.FindAll("[data-testid=panel-state]"), s => Assert.Equal("online", s.TextContent));
            Assert.NotEmpty(cut.FindAll("[data-testid=group-status]"));
        }, Wait);
        return cut;
    }

    [Fact]
    public async Task Publishing_shows_the_receiver_count_and_the_message_in_every_matching_panel()
    {
        var cut = RenderLive();
        cut.Find("textarea[data-testid=publish-message]").Change("order #7");

        await cut.Find("[data-testid=publish]").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["order #7"], Feed(cut, "orders.created"));
            Assert.Equal(["order #7"], Feed(cut, "orders.*"));
        }, Wait);
        Assert.Empty(Feed(cut, "payments.*"));
        Assert.Contains("(integer) 2", cut.Find("[data-testid=receivers]").TextContent, StringComparison.Ordinal);
        Assert.Contains("PUBLISH", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_past_the_publish_rule_is_refused_with_the_wait_and_sends_nothing()
    {
        Services.AddSingleton(NewPublishLimit(new RateLimitingOptions { PublishPermitLimit = 3, PublishWindowSeconds = 60 }));
        var cut = RenderLive();
        for (var i = 1; i <= 3; i++)
        {
            cut.Find("textarea[data-testid=publish-message]").Change($"flood {i}");
            await cut.Find("[data-testid=publish]").ClickAsync(new());
        }

        cut.WaitForAssertion(() => Assert.Equal(["flood 3", "flood 2", "flood 1"], Feed(cut, "orders.created")), Wait);
        var trace = cut.Find("[data-testid=command-trace]").TextContent;
        Assert.Contains("EVALSHA", trace, StringComparison.Ordinal);
        Assert.Contains("PUBLISH", trace, StringComparison.Ordinal);
        cut.Find("textarea[data-testid=publish-message]").Change("flood 4");

        await cut.Find("[data-testid=publish]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Matches(@"publishing too fast: at most 3 messages every 60 s, so this one was not sent\. Try again in [0-9]+ s\.", cut.Find("[data-testid=form-error]").TextContent), Wait);
        // Messages arrive in order: once a later one is in, the refused one would have been too.
        await _service.PublishAsync("orders.created", "sentinel");
        cut.WaitForAssertion(() => Assert.Equal(["sentinel", "flood 3", "flood 2", "flood 1"], Feed(cut, "orders.created")), Wait);
        Assert.Equal(4, await _redis.Multiplexer.GetDatabase().StreamLengthAsync(_service.JournalKey));
    }

    [Fact]
    public async Task A_64_KB_message_is_delivered_whole_but_the_feed_keeps_only_its_start()
    {
        var cut = RenderLive();
        var big = new string('x', PubSubValidation.MaxMessageBytes);
        cut.Find("textarea[data-testid=publish-message]").Change(big);

        await cut.Find("[data-testid=publish]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Single(Feed(cut, "orders.created")), Wait);
        var shown = Feed(cut, "orders.created")[0];
        Assert.StartsWith(new string('x', PubSubValidation.PreviewChars) + " … (", shown, StringComparison.Ordinal);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{big.Length - PubSubValidation.PreviewChars:N0} more characters"), shown, StringComparison.Ordinal);
        Assert.True(shown.Length < 1000);
        Assert.Contains("(integer) 2", cut.Find("[data-testid=receivers]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_offline_panel_misses_what_the_late_reader_catches_up_on()
    {
        var cut = RenderLive();
        var ordersPattern = cut.Find("[data-testid=panel][data-name='orders.*']");
        await ordersPattern.QuerySelector("[data-testid=toggle]")!.ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("offline", cut.Find("[data-testid=panel][data-name='orders.*'] [data-testid=panel-state]").TextContent), Wait);
        cut.Find("input[data-testid=publish-channel]").Change("orders.shipped");
        cut.Find("textarea[data-testid=publish-message]").Change("shipped while you were away");

        await cut.Find("[data-testid=publish]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("(integer) 0", cut.Find("[data-testid=receivers]").TextContent, StringComparison.Ordinal), Wait);
        await cut.Find("[data-testid=panel][data-name='orders.*'] [data-testid=toggle]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("online", cut.Find("[data-testid=panel][data-name='orders.*'] [data-testid=panel-state]").TextContent), Wait);
        await cut.Find("[data-testid=read-group]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("shipped while you were away", cut.Find("[data-testid=entries]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(Feed(cut, "orders.*"));
        Assert.Contains("1 pending", cut.Find("[data-testid=group-status]").TextContent, StringComparison.Ordinal);

        await cut.Find("[data-testid=ack]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("0 pending", cut.Find("[data-testid=group-status]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("acknowledged", cut.Find("[data-testid=entry]").TextContent, StringComparison.Ordinal);
    }

    // After Redis restarted without saving, XACK replied 0 and the table still said "acknowledged"; the lesson text
    // said the group "has read nothing since" after it had read.
    [Fact]
    public async Task Acknowledging_entries_Redis_no_longer_holds_leaves_them_not_acknowledged_and_says_why()
    {
        var cut = RenderLive();
        string History() => RenderedText.Squash(cut.Find("[data-testid=group-history]").TextContent);
        Assert.Contains("has read nothing since.", History(), StringComparison.Ordinal);
        await _service.PublishAsync("orders.created", "lost one");
        await _service.PublishAsync("orders.created", "lost two");
        await cut.Find("[data-testid=read-group]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), Wait);
        Assert.Contains("has read 2 entries since; 2 of them wait for XACK", History(), StringComparison.Ordinal);

        // A restart without persistence: the journal is gone, and its group with it. XACK then replies 0, with no error.
        await _redis.Multiplexer.GetDatabase().KeyDeleteAsync(_service.JournalKey);
        await cut.Find("[data-testid=ack]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("XACK replied 0", cut.Find("[data-testid=group-note]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("no longer holds these 2 entries", cut.Find("[data-testid=group-note]").TextContent, StringComparison.Ordinal);
        Assert.All(cut.FindAll("[data-testid=entry-state]"), s => Assert.Equal("not acknowledged", s.TextContent));
        Assert.Contains("has read 2 entries since; 0 of them wait for XACK", History(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
    }

    [Fact]
    public void The_late_reader_is_told_how_much_the_journal_keeps_as_configured()
    {
        // The journal is capped (XADD MAXLEN ~, a size cap, a TTL): the page must not promise every missed message.
        Services.AddSingleton(Options.Create(new PubSubOptions { JournalMaxLength = 250, JournalMaxKilobytes = 512, JournalTtlHours = 2 }));

        var text = RenderedText.Squash(RenderLive().Find("[data-testid=late-reader]").TextContent);

        Assert.Contains("that the journal still holds", text, StringComparison.Ordinal);
        Assert.Contains("newest 250 messages", text, StringComparison.Ordinal);
        Assert.Contains("at most 512 KB", text, StringComparison.Ordinal);
        Assert.Contains("expires 2 h after the last publish", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_a_pattern_panel_subscribes_it()
    {
        var cut = RenderLive();

        await cut.Find("[data-testid=add]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=panel]").Count), Wait);
        Assert.Contains("PSUBSCRIBE", cut.Find("[data-testid=panel][data-name='*.created']").TextContent, StringComparison.Ordinal);
        Assert.Equal(3, (await _service.PublishAsync("orders.created", "x")).Value.Receivers);
    }

    [Fact]
    public async Task A_channel_name_with_pattern_characters_is_refused_on_publish()
    {
        var cut = RenderLive();
        cut.Find("input[data-testid=publish-channel]").Change("orders.*");

        await cut.Find("[data-testid=publish]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("pattern characters", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=receivers]"));
    }

    [Fact]
    public async Task Closing_the_page_unsubscribes_every_panel()
    {
        var cut = RenderLive();
        Assert.Equal(2, (await _service.PublishAsync("orders.created", "while open")).Value.Receivers);

        await DisposeComponentsAsync();

        Assert.Equal(0, (await _service.PublishAsync("orders.created", "after close")).Value.Receivers);
        Assert.Equal(0, (await _service.PublishAsync("payments.settled", "after close")).Value.Receivers);
    }

    [Fact]
    public async Task Leaving_the_group_removes_it_from_the_shared_journal_with_the_learners_pubsub_keys()
    {
        var cut = RenderLive();
        var db = _redis.Multiplexer.GetDatabase();
        var group = _service.GroupOf(Learner.Id);
        Assert.Contains(group, (await db.StreamGroupInfoAsync(_service.JournalKey)).Select(g => g.Name));
        Assert.True(await db.KeyExistsAsync(_service.GroupRecordKey(Learner.Id)));

        await cut.Find("[data-testid=leave-group]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=group-status]")), Wait);
        Assert.DoesNotContain(group, (await db.StreamGroupInfoAsync(_service.JournalKey)).Select(g => g.Name));
        Assert.False(await db.KeyExistsAsync(_service.GroupRecordKey(Learner.Id)));
        Assert.Contains("XGROUP", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);

        // Reading again joins again: the lesson still works after leaving.
        await cut.Find("[data-testid=read-group]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=group-status]")), Wait);
        Assert.Contains(group, (await db.StreamGroupInfoAsync(_service.JournalKey)).Select(g => g.Name));
    }

    [Fact]
    public async Task A_gone_journal_or_group_is_left_or_rejoined_in_plain_words_not_a_raw_error()
    {
        var cut = RenderLive();
        var db = _redis.Multiplexer.GetDatabase();
        var group = _service.GroupOf(Learner.Id);
        await db.KeyDeleteAsync(_service.JournalKey); // the journal expired, and its groups with it

        await cut.Find("[data-testid=leave-group]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("already gone", cut.Find("[data-testid=group-note]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        Assert.Empty(cut.FindAll("[data-testid=group-status]"));
        Assert.False(await db.KeyExistsAsync(_service.GroupRecordKey(Learner.Id)));

        await db.KeyDeleteAsync(_service.JournalKey);
        await cut.Find("[data-testid=reset-group]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=group-status]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        Assert.Contains(group, (await db.StreamGroupInfoAsync(_service.JournalKey)).Select(g => g.Name));

        // The sweep destroyed the group (its record had expired): reading joins again and says so.
        await db.StreamDeleteConsumerGroupAsync(_service.JournalKey, group);
        await cut.Find("[data-testid=read-group]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("joined again", cut.Find("[data-testid=group-note]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        Assert.Contains(group, (await db.StreamGroupInfoAsync(_service.JournalKey)).Select(g => g.Name));
        Assert.Contains("XREADGROUP", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_acknowledge_list_is_capped_with_a_note_and_acked_in_bounded_batches()
    {
        var cut = RenderLive();
        var over = 30;
        for (var i = 0; i < PubSub.MaxUnacked + over; i++)
        {
            await _service.PublishAsync("nobody.listens", $"m{i}");
        }

        for (var read = 0; read * 100 < PubSub.MaxUnacked + over; read++)
        {
            await cut.Find("[data-testid=read-group]").ClickAsync(new());
        }

        cut.WaitForAssertion(() => Assert.Contains($"{PubSub.MaxUnacked + over} pending", cut.Find("[data-testid=group-status]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains($"Acknowledge {PubSub.MaxUnacked}", cut.Find("[data-testid=ack]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"{over} older", cut.Find("[data-testid=ack-note]").TextContent, StringComparison.Ordinal);

        await cut.Find("[data-testid=ack]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains($"{over} pending", cut.Find("[data-testid=group-status]").TextContent, StringComparison.Ordinal), Wait);
        var xacks = cut.FindAll("[data-testid=trace-row] code.br-cmd").Count(e => e.TextContent.StartsWith("XACK", StringComparison.Ordinal));
        Assert.Equal(PubSub.MaxUnacked / RedisPubSubService.MaxAckBatch, xacks);
    }
}
