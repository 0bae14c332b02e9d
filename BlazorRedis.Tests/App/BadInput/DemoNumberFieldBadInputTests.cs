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

    // Every number field of the demos, with the values that are wrong for it: empty, text, a fraction in a whole-number
    // field, just outside, far beyond an int (or a long), 1e309 and NaN.
    private static readonly NumberFieldCase[] Fields =
    [
        new("strings", "token-seconds", "issue-token", "lifetime", "between 1 and 3,600 seconds", "", "abc", "1.5", "0", "-5", "3601", "99999999999", "1e309"),
        new("hashes", "incr-by", "hincrby", "increment", "between -1,000,000,000 and 1,000,000,000", "", "abc", "1.5", "1000000001", "-1000000001", "99999999999", "99999999999999999999", "1e309"),
        new("lists", "activity-keep", "record-activity", "number of entries to keep", "between 1 and 50", "", "abc", "1.5", "0", "-5", "51", "99999999999", "1e309"),
        new("sorted-sets", "top-n", "top", "number of players", "between 1 and 25", "", "abc", "1.5", "0", "-5", "26", "99999999999", "1e309"),
        new("sorted-sets", "score", "zadd", "score", "a number between -1,000,000,000,000 and 1,000,000,000,000", "", "abc", "1000000000001", "-1000000000001", "99999999999999", "1e309", "-1e309", "NaN", "12,5", "1,000"),
        new("sorted-sets", "points", "zincrby", "points", "a number between -1,000,000,000,000 and 1,000,000,000,000", "", "abc", "1000000000001", "-1000000000001", "99999999999999", "1e309", "-1e309", "NaN", "12,5", "1,000"),
    ];

    public static TheoryData<string, string, string> BadNumbers() => NumberFieldCase.Rows(Fields);

    // On main: "not a valid number" for a whole number beyond an int (or a long), no range for an empty or text field
    // ("must be a real number" for 1e309), and an emptied field read as 0 ("must be between 1 and 3,600" for an empty lifetime).
    [Theory]
    [MemberData(nameof(BadNumbers))]
    public async Task A_bad_number_names_the_fields_range_and_sends_nothing(string page, string field, string value)
    {
        var spec = NumberFieldCase.Of(Fields, page, field);
        await (page switch
        {
            "strings" => AssertRangeNamedAsync(RenderDemo<StringsDemo>(), spec, value),
            "hashes" => AssertRangeNamedAsync(RenderDemo<HashesDemo>(), spec, value),
            "lists" => AssertRangeNamedAsync(RenderDemo<ListsDemo>(), spec, value),
            _ => AssertRangeNamedAsync(RenderDemo<SortedSetsDemo>(), spec, value),
        });
    }

    private async Task AssertRangeNamedAsync<T>(IRenderedComponent<T> cut, NumberFieldCase spec, string value)
        where T : DemoPageBase
    {
        var before = await AreaStateAsync(spec.Page);
        var traceBefore = TraceText(cut);

        Type(cut, spec.TestId, value);
        Click(cut, spec.Button);

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.Find("[data-testid='form-error']").TextContent), Patience);
        var said = cut.Find("[data-testid='form-error']").TextContent;
        Assert.Contains($"The {spec.What} ", said, StringComparison.Ordinal);
        Assert.Contains(spec.Range, said, StringComparison.Ordinal);
        Assert.Equal(traceBefore, TraceText(cut)); // nothing ran: the trace is still the one of the page's opening read
        Assert.Equal(before, await AreaStateAsync(spec.Page));
    }

    private static string TraceText<T>(IRenderedComponent<T> cut)
        where T : DemoPageBase => string.Join('\n', TraceRows(cut).Select(r => r.TextContent));

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
