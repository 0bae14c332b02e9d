using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Tests.Core.PubSub;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

public class PubSubApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IPubSubService PubSub => app.Factory.Services.GetRequiredService<IPubSubService>();

    [Fact]
    public async Task A_message_published_through_the_api_reaches_a_pattern_subscriber()
    {
        var (handler, inbox) = RedisPubSubServiceTests.Inbox();
        await using var sub = (await PubSub.SubscribeAsync("api-orders.*", isPattern: true, handler)).Value;
        using var client = app.Factory.CreateHttpClient();

        var response = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "api-orders.created", message = "order 7" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<PublishBody>(Ct);
        Assert.Equal(1, body!.Receivers);
        var got = await inbox.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        Assert.Equal("api-orders.created", got.Channel);
        Assert.Equal("order 7", got.Message);
        Assert.Equal(PubSub.ChannelPrefix + "api-orders.*", got.Pattern);
    }

    [Fact]
    public async Task An_offline_subscriber_misses_an_api_message_that_the_consumer_group_gets_after_reconnecting()
    {
        var group = "api-group-" + Guid.NewGuid().ToString("N");
        await PubSub.CreateGroupAsync(group);
        var (handler, inbox) = RedisPubSubServiceTests.Inbox();
        var sub = (await PubSub.SubscribeAsync("api-late.*", isPattern: true, handler)).Value;
        await PubSub.UnsubscribeAsync(sub); // offline
        using var client = app.Factory.CreateHttpClient();

        var response = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "api-late.news", message = "missed it" }, Ct);
        var body = await response.Content.ReadFromJsonAsync<PublishBody>(Ct);

        Assert.Equal(0, body!.Receivers);
        await using var back = (await PubSub.SubscribeAsync("api-late.*", isPattern: true, handler)).Value;
        await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "api-late.news", message = "back again" }, Ct);
        Assert.Equal("back again", (await inbox.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Message);

        var caughtUp = (await PubSub.ReadGroupAsync(group, "late-reader")).Value.Where(e => e.Channel == "api-late.news").ToList();
        Assert.Equal(["missed it", "back again"], caughtUp.Select(e => e.Message));
        Assert.Equal(body.JournalId, caughtUp[0].Id);
        Assert.Equal(2, (await PubSub.AckAsync(group, [.. caughtUp.Select(e => e.Id)])).Value);
        await PubSub.DeleteGroupAsync(group);
    }

    [Theory]
    [InlineData("", "hello", "channel")]
    [InlineData("   ", "hello", "channel")]
    [InlineData("orders.*", "hello", "channel")]
    [InlineData("bad\r\nname", "hello", "channel")]
    [InlineData("orders", null, "message")]
    [InlineData(null, "hello", "channel")]
    [InlineData("orders\u202E", "hello", "channel")] // channels and messages are shown in every learner's panels
    [InlineData("orders", "Mug \u202E olleh", "message")]
    [InlineData("orders", "\u200B", "message")]
    public async Task Bad_publishes_answer_400_with_a_field_error(string? channel, string? message, string field)
    {
        using var client = app.Factory.CreateHttpClient();

        var response = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel, message }, Ct);

        await SessionApiTests.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_member_sent_twice_is_a_400_naming_it()
    {
        using var client = app.Factory.CreateHttpClient();
        using var body = new StringContent("""{"channel":"dup","message":"a","message":"b"}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/pubsub/publish", body, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("detail").GetString();
        Assert.Contains("\"message\" appears more than once", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_64_KB_answers_400_and_64_KB_is_accepted()
    {
        using var client = app.Factory.CreateHttpClient();

        var tooBig = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "big", message = new string('x', 64 * 1024 + 1) }, Ct);
        var justRight = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "big", message = new string('x', 64 * 1024) }, Ct);

        await SessionApiTests.AssertFieldErrorAsync(tooBig, "message");
        Assert.Equal(HttpStatusCode.OK, justRight.StatusCode);
    }

    [Fact]
    public async Task Publishing_while_redis_is_down_answers_503_problem()
    {
        var server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: Ct);
        await using var factory = new BlazorRedisAppFactory($"{server.EndPoint},abortConnect=false,asyncTimeout=1500,syncTimeout=1500,connectTimeout=1500").Start();
        using var client = factory.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "up", message = "hi" }, Ct)).StatusCode);

        server.Dispose();
        var response = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "down", message = "hi" }, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed record PublishBody(long Receivers, string Channel, string FullChannel, string JournalId);
}
