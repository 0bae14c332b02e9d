using BlazorRedis.App.Components.Pages.DataStructures;
using BlazorRedis.App.Components.Pages.DataStructures.Hashes;
using BlazorRedis.App.Components.Pages.DataStructures.Lists;
using BlazorRedis.App.Components.Pages.DataStructures.SortedSets;
using BlazorRedis.App.Components.Pages.DataStructures.Strings;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Core.Lists;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Strings;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>
/// A number field that says "Not a valid number" must not act: typing text into any number field of a demo page and
/// pressing its button shows a message and sends no command (HINCRBY by "abc" used to send 0).
/// </summary>
public class DemoNumberFieldBadInputTests : DemoPageTestContext
{
    public DemoNumberFieldBadInputTests(RedisServerFixture redis)
        : base(redis)
    {
        Services.AddSingleton<IStringsDemo>(new StringsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));
        Services.AddSingleton<IHashesDemo>(new HashesDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));
        Services.AddSingleton<IListsDemo>(new ListsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor, TimeProvider.System));
        Services.AddSingleton<ISortedSetsDemo>(new SortedSetsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor, Options.Create(new LeaderboardOptions())));
    }

    [Theory]
    [InlineData("strings", "token-seconds", "issue-token", "SET")]
    [InlineData("hashes", "incr-by", "hincrby", "HINCRBY")]
    [InlineData("lists", "activity-keep", "record-activity", "LPUSH")]
    [InlineData("sorted-sets", "score", "zadd", "ZADD")]
    [InlineData("sorted-sets", "points", "zincrby", "ZINCRBY")]
    [InlineData("sorted-sets", "top-n", "top", "ZRANGE")]
    public async Task Text_in_a_number_field_shows_a_message_and_sends_nothing(string page, string field, string button, string command)
    {
        switch (page)
        {
            case "strings": await AssertRefusedAsync(RenderDemo<StringsDemo>(), page, field, button, command); break;
            case "hashes": await AssertRefusedAsync(RenderDemo<HashesDemo>(), page, field, button, command); break;
            case "lists": await AssertRefusedAsync(RenderDemo<ListsDemo>(), page, field, button, command); break;
            default: await AssertRefusedAsync(RenderDemo<SortedSetsDemo>(), page, field, button, command); break;
        }
    }

    private async Task AssertRefusedAsync<T>(IRenderedComponent<T> cut, string area, string field, string button, string command)
        where T : DemoPageBase
    {
        var before = await AreaStateAsync(area);

        Type(cut, field, "abc");
        Click(cut, button);

        cut.WaitForAssertion(() => Assert.Contains("not a valid number", cut.Find("[data-testid='form-error']").TextContent, StringComparison.OrdinalIgnoreCase), Patience);
        Assert.DoesNotContain(TraceRows(cut), r => r.TextContent.Contains(command, StringComparison.Ordinal));
        Assert.Equal(before, await AreaStateAsync(area));
    }
}
