using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.App.Components.Pages.PubSub;
using BlazorRedis.App.Components.Pages.Sessions;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Tests.App.Components.Caching;
using BlazorRedis.Tests.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static BlazorRedis.Tests.App.BadInput.FormBadInput;
using static BlazorRedis.Tests.Infrastructure.DemoPageTestContext;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>
/// Bad values in the forms of the sessions, pub/sub and caching pages: each shows a message on the page, and the
/// keys under the page's prefix are exactly what they were (nothing written, nothing deleted).
/// </summary>
public class AreaFormBadInputTests(RedisServerFixture redis)
{
    private static readonly string Crlf = "orders\r\nPUBLISH evil 1";

    private static readonly Dictionary<string, FormBadInputCase> CaseTable = new(StringComparer.Ordinal)
    {
        ["sessions empty username"] = Case("sessions", "login", ("username", "")),
        ["sessions whitespace username"] = Case("sessions", "login", ("username", "   ")),
        ["sessions CRLF in username"] = Case("sessions", "login", ("username", "bob\r\nHSET x y")),
        ["sessions control character in username"] = Case("sessions", "login", ("username", "bo\u0007b")),
        ["sessions 1 MB username"] = Case("sessions", "login", ("username", OneMb)),
        ["pubsub empty channel"] = Case("pubsub", "publish", ("publish-channel", ""), ("publish-message", "hi")),
        ["pubsub whitespace channel"] = Case("pubsub", "publish", ("publish-channel", "   "), ("publish-message", "hi")),
        ["pubsub CRLF in channel"] = Case("pubsub", "publish", ("publish-channel", Crlf), ("publish-message", "hi")),
        ["pubsub pattern characters in channel"] = Case("pubsub", "publish", ("publish-channel", "orders.*"), ("publish-message", "hi")),
        ["pubsub 1 MB channel"] = Case("pubsub", "publish", ("publish-channel", OneMb), ("publish-message", "hi")),
        ["pubsub 1 MB message"] = Case("pubsub", "publish", ("publish-channel", "orders.created"), ("publish-message", OneMb)),
        ["pubsub empty subscriber name"] = Case("pubsub", "add", ("new-name", "")),
        ["pubsub CRLF in subscriber name"] = Case("pubsub", "add", ("new-name", Crlf)),
        ["pubsub 1 MB subscriber name"] = Case("pubsub", "add", ("new-name", OneMb)),
        ["invalidation empty pattern"] = Case("invalidation", "by-pattern", ("pattern", "")),
        ["invalidation pattern with a space"] = Case("invalidation", "by-pattern", ("pattern", "product: *")),
        ["invalidation CRLF in pattern"] = Case("invalidation", "by-pattern", ("pattern", "product:*\r\nFLUSHALL")),
        ["invalidation 1 MB pattern"] = Case("invalidation", "by-pattern", ("pattern", OneMb)),
        ["write strategies price not a number"] = Case("write-strategies", FieldOnly, ("price", "cheap")),
        ["write strategies stock not a number"] = Case("write-strategies", FieldOnly, ("stock", "many")),
        ["stampede readers not a number"] = Case("stampede", FieldOnly, ("requests", "lots")),
        ["load test requests not a number"] = Case("load-test", FieldOnly, ("requests", "1e9x")),
    };

    public static TheoryData<string> Cases => new(CaseTable.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task A_bad_form_value_shows_a_message_and_changes_no_key(string name)
    {
        var @case = CaseTable[name];
        return @case.Page switch
        {
            "sessions" => SessionsAsync(@case),
            "pubsub" => PubSubAsync(@case),
            _ => CachingAsync(@case),
        };
    }

    private async Task SessionsAsync(FormBadInputCase @case)
    {
        var keys = redis.NewKeyspace();
        await using var ctx = new MudTestContext();
        ctx.Services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, new RedisSessionStore(redis.Multiplexer, keys, redis.Tracer, Options.Create(new SessionOptions()), area: RedisSessionStore.DemoArea));
        ctx.Services.AddSingleton(TimeProvider.System);
        var cut = ctx.RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Patience);
        await SubmitAsync(cut, @case, keys.Prefix);
    }

    private async Task PubSubAsync(FormBadInputCase @case)
    {
        var keys = redis.NewKeyspace();
        await using var ctx = new MudTestContext();
        ctx.Services.AddSingleton<IPubSubService>(new RedisPubSubService(redis.Multiplexer, keys, redis.Tracer, TimeProvider.System, Options.Create(new PubSubOptions())));
        var limits = Options.Create(new RateLimitingOptions());
        ctx.Services.AddSingleton(new PublishLimit(
            new RedisRateLimitService(redis.Multiplexer, redis.Tracer, keys, limits, NullLogger<RedisRateLimitService>.Instance), redis.Tracer, limits));
        var cut = ctx.RenderWithProviders<PubSub>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=group-status]")), Patience);
        await SubmitAsync(cut, @case, keys.Prefix);
    }

    private async Task CachingAsync(FormBadInputCase @case)
    {
        await using var ctx = new CachingPageContext(redis);
        ctx.ActAsTeacher(); // the pattern invalidation is the teacher's; the bad input must be refused for the teacher too
        var prefix = ctx.Harness.Keyspace.Prefix;
        if (@case.Page == "invalidation")
        {
            // Warm first, so a pattern that slipped through would have something to delete.
            var cut = ctx.RenderWithProviders<Invalidation>();
            Click(cut, "warm");
            cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=trace-row]")), Patience);
            await SubmitAsync(cut, @case, prefix);
        }
        else if (@case.Page == "write-strategies")
        {
            await SubmitAsync(ctx.RenderWithProviders<WriteStrategies>(), @case, prefix);
        }
        else if (@case.Page == "stampede")
        {
            await SubmitAsync(ctx.RenderWithProviders<Stampede>(), @case, prefix);
        }
        else
        {
            await SubmitAsync(ctx.RenderWithProviders<LoadTest>(), @case, prefix);
        }
    }

    private async Task SubmitAsync<T>(IRenderedComponent<T> cut, FormBadInputCase @case, string prefix)
        where T : IComponent
    {
        var before = await DemoTestKit.KeysUnderAsync(redis, prefix);
        foreach (var (field, value) in @case.Fields)
        {
            Type(cut, field, value);
        }

        if (@case.Button != FieldOnly)
        {
            Click(cut, @case.Button);
        }

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(ErrorElements), e => !string.IsNullOrWhiteSpace(e.TextContent)), Patience);
        var after = await DemoTestKit.KeysUnderAsync(redis, prefix);
        Assert.Equal(before.Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
    }
}
