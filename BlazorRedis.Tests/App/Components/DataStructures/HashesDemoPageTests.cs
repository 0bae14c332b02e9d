using BlazorRedis.App.Components.Pages.DataStructures.Hashes;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class HashesDemoPageTests : DemoPageTestContext
{
    public HashesDemoPageTests(RedisServerFixture redis)
        : base(redis) =>
        Services.AddSingleton<IHashesDemo>(new HashesDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));

    [Theory]
    [InlineData("7.0.15", "this server (Redis 7.0.15) expires a whole key, not single fields")]
    [InlineData("7.4.2", "each field can have its own expiry: this server runs Redis 7.4.2")]
    [InlineData(null, "before Redis 7.4 a whole key expires")]
    public void The_lesson_says_what_expires_on_the_connected_server(string? version, string expected)
    {
        Status.Publish(FakeStatusSource.Connected() with { Version = version });

        var cut = RenderDemo<HashesDemo>();

        Assert.StartsWith(expected, cut.Find("[data-testid=field-expiry]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Scenario_builds_the_profile_and_compares_memory_with_measured_bytes()
    {
        var cut = RenderDemo<HashesDemo>();

        Click(cut, "run-scenario");
        WaitForScenario(cut);

        var fields = cut.FindAll("[data-testid='hash-field']").Select(r => r.TextContent).ToList();
        Assert.Equal(3, fields.Count);
        Assert.Contains(fields, f => f.Contains("followers", StringComparison.Ordinal) && f.Contains('3', StringComparison.Ordinal));
        Assert.DoesNotContain(fields, f => f.Contains("email", StringComparison.Ordinal));
        Assert.Matches(@"^[\d,]+ B$", cut.Find("[data-testid='memory-hash']").TextContent.Trim());
        Assert.Matches(@"^[\d,]+ B$", cut.Find("[data-testid='memory-strings']").TextContent.Trim());
        Assert.Contains(TraceRows(cut), r => r.TextContent.Contains("MEMORY USAGE", StringComparison.Ordinal));
    }

    [Fact]
    public void HSET_then_HINCRBY_updates_the_card()
    {
        var cut = RenderDemo<HashesDemo>();
        Type(cut, "field-name", "followers");
        Type(cut, "field-value", "10");
        Click(cut, "hset");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='hash-field']")), Patience);

        Type(cut, "incr-by", "5");
        Click(cut, "hincrby");

        cut.WaitForAssertion(() => Assert.Contains("15", cut.Find("[data-testid='hash-field']").TextContent, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task A_field_name_with_braces_shows_a_message_and_writes_nothing()
    {
        var cut = RenderDemo<HashesDemo>();
        Type(cut, "field-name", "a{b}");

        Click(cut, "hset");

        cut.WaitForAssertion(() => Assert.Contains("{ or }", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(await AreaKeysAsync(HashesDemoService.Area));
    }

    [Fact]
    public async Task Comparing_an_empty_profile_explains_what_to_do()
    {
        var cut = RenderDemo<HashesDemo>();

        Click(cut, "compare-memory");

        cut.WaitForAssertion(() => Assert.Contains("HSET some fields first", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(await AreaKeysAsync(HashesDemoService.Area));
    }

    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderDemo<HashesDemo>());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderDemo<HashesDemo>());
}
