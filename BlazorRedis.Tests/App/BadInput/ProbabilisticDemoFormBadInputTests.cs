using BlazorRedis.App.Components.Pages.DataStructures.Bitmaps;
using BlazorRedis.App.Components.Pages.DataStructures.Geo;
using BlazorRedis.App.Components.Pages.DataStructures.HyperLogLog;
using BlazorRedis.App.Components.Pages.DataStructures.Streams;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using static BlazorRedis.Tests.App.BadInput.FormBadInput;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>Bad values in the geo, streams, bitmaps and HyperLogLog forms: a message on the page, no key written.</summary>
public class ProbabilisticDemoFormBadInputTests(RedisServerFixture redis) : DemoPageTestContext(redis)
{
    private static readonly Dictionary<string, FormBadInputCase> CaseTable = new(StringComparer.Ordinal)
    {
        ["geo longitude out of range"] = Case("geo", "geoadd", ("cafe-lon", "200"), ("cafe-lat", "12.97")),
        ["geo latitude beyond the poles' limit"] = Case("geo", "geoadd", ("cafe-lon", "77.59"), ("cafe-lat", "86")),
        ["geo negative latitude beyond the limit"] = Case("geo", "geoadd", ("cafe-lon", "77.59"), ("cafe-lat", "-85.1")),
        ["geo longitude not a number"] = Case("geo", "geoadd", ("cafe-lon", "abc"), ("cafe-lat", "12.97")),
        ["geo longitude NaN"] = Case("geo", "geoadd", ("cafe-lon", "NaN"), ("cafe-lat", "12.97")),
        ["geo latitude Infinity"] = Case("geo", "geoadd", ("cafe-lon", "77.59"), ("cafe-lat", "Infinity")),
        ["geo empty name"] = Case("geo", "geoadd", ("cafe-name", ""), ("cafe-lon", "77.59"), ("cafe-lat", "12.97")),
        ["geo CRLF in name"] = Case("geo", "geoadd", ("cafe-name", "Cafe\r\nDEL x"), ("cafe-lon", "77.59"), ("cafe-lat", "12.97")),
        ["geo 1 MB name"] = Case("geo", "geoadd", ("cafe-name", OneMb), ("cafe-lon", "77.59"), ("cafe-lat", "12.97")),
        ["geo negative radius"] = Case("geo", "search-point", ("radius", "-2")),
        ["geo NaN radius"] = Case("geo", "search-point", ("radius", "NaN")),
        ["geo search longitude out of range"] = Case("geo", "search-point", ("my-lon", "181")),
        ["streams humidity over 100"] = Case("streams", "xadd", ("humidity", "140")),
        ["streams temperature NaN"] = Case("streams", "xadd", ("temperature", "NaN")),
        ["streams temperature beyond double"] = Case("streams", "xadd", ("temperature", "1e400")),
        ["streams malformed range start"] = Case("streams", "xrange", ("range-from", "yesterday"), ("range-to", "+")),
        ["streams malformed range end"] = Case("streams", "xrange", ("range-from", "-"), ("range-to", "12-x")),
        ["streams malformed ack id"] = Case("streams", "xack", ("ack-ids", "1700000000000-0, oops")),
        ["streams negative read count"] = Case("streams", "xreadgroup", ("count", "-1")),
        ["streams empty group name"] = Case("streams", "xgroup-create", ("group", "")),
        ["streams CRLF in group name"] = Case("streams", "xgroup-create", ("group", "g\r\nXADD x * a b")),
        ["streams negative claim idle"] = Case("streams", "xautoclaim", ("min-idle", "-5")),
        ["bitmaps negative user id"] = Case("bitmaps", "setbit", ("user-id", "-1")),
        ["bitmaps user id too large"] = Case("bitmaps", "setbit", ("user-id", "10000001")),
        ["bitmaps user id not a number"] = Case("bitmaps", "setbit", ("user-id", "abc")),
        ["bitmaps empty user id"] = Case("bitmaps", "setbit", ("user-id", "")),
        ["bitmaps fractional user id"] = Case("bitmaps", "setbit", ("user-id", "1.5")),
        ["hyperloglog empty term"] = Case("hyperloglog", "pfadd", ("term", "")),
        ["hyperloglog whitespace term"] = Case("hyperloglog", "pfadd", ("term", "   ")),
        ["hyperloglog 1 MB term"] = Case("hyperloglog", "pfadd", ("term", OneMb)),
    };

    public static TheoryData<string> Cases => new(CaseTable.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task A_bad_form_value_shows_a_message_and_writes_no_key(string name)
    {
        var @case = CaseTable[name];
        return @case.Page switch
        {
            "geo" => SubmitAsync(() => RenderWithProviders<GeoDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero)), @case),
            "streams" => SubmitAsync(() => RenderWithProviders<StreamsDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero)), @case),
            "bitmaps" => SubmitAsync(() => RenderWithProviders<BitmapsDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero)), @case),
            _ => SubmitAsync(() => RenderWithProviders<HyperLogLogDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero)), @case),
        };
    }

    private async Task SubmitAsync<T>(Func<IRenderedComponent<T>> render, FormBadInputCase @case)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var cut = Loaded(render());
        var before = await LearnerKeysAsync(Redis, Keys, Learner.Id);

        foreach (var (field, value) in @case.Fields)
        {
            InputIn(cut.Find($"[data-testid='{field}']")).Input(value);
        }

        cut.Find($"[data-testid='{@case.Button}']").Click();

        cut.WaitForAssertion(() => Assert.False(string.IsNullOrWhiteSpace(cut.Find("[data-testid='form-error']").TextContent)), Patience);
        var after = await LearnerKeysAsync(Redis, Keys, Learner.Id);
        Assert.Empty(after.Except(before));
    }
}
