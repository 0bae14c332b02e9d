using AngleSharp.Dom;
using BlazorRedis.App.Components.Pages.DataStructures;
using BlazorRedis.Core.Bitmaps;
using BlazorRedis.Core.Geo;
using BlazorRedis.Core.HyperLogLog;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Streams;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Core.DataStructures;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// The one component test context for the data-structure demo pages: the real Core services on the test Redis,
/// under a key prefix of this test's own. The bitmaps, HyperLogLog, geo and streams services are registered here;
/// a test of another demo registers its service (with the settings it needs) in its constructor.
/// </summary>
public abstract class DemoPageTestContext : MudTestContext
{
    protected DemoPageTestContext(RedisServerFixture redis)
    {
        Redis = redis;
        Keys = redis.NewKeyspace();
        Janitor = new KeyspaceJanitor(redis.Multiplexer, redis.Tracer);
        Services.AddSingleton(redis.Multiplexer);
        Services.AddSingleton(Keys);
        Services.AddSingleton<RedisTracer>(redis.Tracer);
        Services.AddSingleton(Janitor);
        Services.AddSingleton<IBitmapsDemo, BitmapsDemoService>();
        Services.AddSingleton<IHyperLogLogDemo, HyperLogLogDemoService>();
        Services.AddSingleton<IGeoDemo, GeoDemoService>();
        Services.AddSingleton<IStreamsDemo, StreamsDemoService>();
    }

    private static readonly HashSet<string> StateReplies = new(StringComparer.Ordinal)
    {
        "PFADD", "SADD", "LPUSH", "RPUSH", "ZADD", "HSET", "HSETNX", "INCR", "INCRBY", "SETBIT", "GEOADD",
    };

    /// <summary>The one ceiling every wait of a demo page test uses (generous: the test machine is shared and busy; not a speed claim).</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected RedisServerFixture Redis { get; }

    protected RedisKeyspace Keys { get; }

    protected KeyspaceJanitor Janitor { get; }

    protected LearnerKeyspace Me => Keys.ForLearner(Learner.Id);

    protected IDatabase Db => Redis.Multiplexer.GetDatabase();

    /// <summary>Renders a demo page with no pause between scenario steps (or <paramref name="stepDelay"/>) and waits until it has read its keys.</summary>
    protected IRenderedComponent<T> RenderDemo<T>(TimeSpan? stepDelay = null)
        where T : DemoPageBase
    {
        var cut = RenderWithProviders<T>(p => p.Add(x => x.StepDelay, stepDelay ?? TimeSpan.Zero));

        // Pages read their keys when they open; the buttons wait until that is done.
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid='run-scenario']").HasAttribute("disabled")), Patience);
        return cut;
    }

    /// <summary>Waits until the page's first load (a traced read) has rendered, so clicks hit live handlers.</summary>
    protected static IRenderedComponent<T> Loaded<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='trace-row']")), Patience);
        return cut;
    }

    /// <summary>The input inside a MudBlazor field marked with data-testid.</summary>
    protected static IElement InputIn(IElement marked) =>
        marked.TagName is "INPUT" or "TEXTAREA" ? marked : marked.QuerySelector("input, textarea") ?? throw new InvalidOperationException("No input under " + marked.OuterHtml);

    /// <summary>Keys the page wrote for this learner in <paramref name="area"/>.</summary>
    protected Task<List<string>> AreaKeysAsync(string area) => DemoTestKit.KeysUnderAsync(Redis, Me.AreaPrefix(area));

    /// <summary>How many keys this learner has in one demo's area (SCAN, not KEYS).</summary>
    protected async Task<int> KeyCountAsync(string area) => (await AreaKeysAsync(area)).Count;

    /// <summary>
    /// What this learner's keys of <paramref name="area"/> hold, byte for byte (key names and DUMP of each), so two
    /// snapshots differ when any command changed them.
    /// </summary>
    protected async Task<string> AreaStateAsync(string area)
    {
        var parts = new List<string>();
        foreach (var key in (await AreaKeysAsync(area)).Order(StringComparer.Ordinal))
        {
            var dump = await Db.KeyDumpAsync(key);
            parts.Add(key + "=" + (dump is null ? "(gone)" : Convert.ToBase64String(dump)));
        }

        return string.Join('\n', parts);
    }

    /// <summary>
    /// Starts the scenario with a pause between steps, waits until <paramref name="firstStepDone"/> says step 1 has
    /// finished, closes the page (disposes it, as leaving the page does), and proves that this learner's keys of
    /// <paramref name="area"/> stay as they were at the close for a while longer than the rest of the story would take.
    /// </summary>
    protected async Task AssertClosingMidScenarioStopsWritingAsync<T>(string area, Action<IRenderedComponent<T>> firstStepDone)
        where T : DemoPageBase
    {
        ArgumentNullException.ThrowIfNull(firstStepDone);
        var stepDelay = TimeSpan.FromMilliseconds(500);
        var cut = RenderDemo<T>(stepDelay);
        Click(cut, "run-scenario");
        cut.WaitForAssertion(() => Assert.StartsWith("Step 1 of", cut.Find("[data-testid='narration']").TextContent.Trim(), StringComparison.Ordinal), Patience);
        cut.WaitForAssertion(() => firstStepDone(cut), Patience);

        await DisposeComponentsAsync();
        var atClose = await AreaStateAsync(area);
        Assert.NotEqual("", atClose);

        // Unfixed, the story goes on: the next step writes after one step delay; four delays leave it room for more.
        await Task.Delay(stepDelay * 4);
        Assert.Equal(atClose, await AreaStateAsync(area));
    }

    /// <summary>Types into the MudBlazor field carrying <paramref name="testId"/> (oninput for Immediate fields, else onchange).</summary>
    internal static void Type<T>(IRenderedComponent<T> cut, string testId, string value)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        cut.InvokeAsync(() =>
        {
            var element = cut.Find($"[data-testid='{testId}']");
            var input = element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;
            try
            {
                // An Immediate field listens to oninput; the others only to onchange.
                input.Input(value);
            }
            catch (MissingEventHandlerException)
            {
                input.Change(value);
            }
        });
    }

    /// <summary>Clicks the button carrying <paramref name="testId"/>.</summary>
    internal static void Click<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find($"[data-testid='{testId}']").HasAttribute("disabled")), Patience);
        cut.InvokeAsync(() => cut.Find($"[data-testid='{testId}']").Click());
    }

    /// <summary>Waits for the scenario's closing narration; a scenario that stopped fails at once with the page's error.</summary>
    protected static void WaitForScenario<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        cut.WaitForAssertion(() => Assert.Matches("^(Done|Stopped)", cut.Find("[data-testid='narration']").TextContent.Trim()), Patience);
        var narration = cut.Find("[data-testid='narration']").TextContent.Trim();
        var errors = cut.FindAll("[data-testid='form-error']");
        Assert.True(narration.StartsWith("Done", StringComparison.Ordinal), $"{narration} The page says: {(errors.Count > 0 ? errors[0].TextContent : "(no error)")}");
    }

    /// <summary>
    /// Runs the scenario, then runs it again on the keys it left: the story must tell the same thing the second time
    /// (a learner presses it again to watch once more), so its closing narration and its trace's replies are the same.
    /// </summary>
    protected static void AssertTheScenarioTellsTheSameStoryTwice<T>(IRenderedComponent<T> cut)
        where T : class, Microsoft.AspNetCore.Components.IComponent
    {
        // The replies that show what was there before: what each write added. (Not the picture's re-reads, which follow the
        // page's own settings, nor TTLs or stream ids, which move; the counts the story tells are in its closing narration.)
        // Read from the scenario's whole trace (that the panel shows all of it is AssertTheWholeStoryIsShownOnAFullServerAsync's part).
        string[] Replies() =>
        [
            .. ShownTrace(cut, "Scenario").Commands
                .Where(c => StateReplies.Contains(c.Text.Split(' ')[0]))
                .Select(c => $"{c.Text} → {c.Result}"),
        ];

        cut.Find("[data-testid='run-scenario']").Click();
        WaitForScenario(cut);
        var first = (Narration: cut.Find("[data-testid='narration']").TextContent.Trim(), Replies: Replies());
        Click(cut, "run-scenario");
        cut.WaitForAssertion(() => Assert.StartsWith("Step", cut.Find("[data-testid='narration']").TextContent.Trim(), StringComparison.Ordinal), Patience);
        WaitForScenario(cut);

        Assert.Equal(first.Narration, cut.Find("[data-testid='narration']").TextContent.Trim());
        Assert.Equal(first.Replies, Replies());
    }

    /// <summary>Keys of somebody else's that <see cref="AssertTheWholeStoryIsShownOnAFullServerAsync{T}"/> puts on the shared Redis.</summary>
    internal const int OtherKeys = 5_000;

    /// <summary>
    /// On a Redis that holds <see cref="OtherKeys"/> keys of somebody else's (a shared server: the reset's SCAN walks
    /// them all, one call per <see cref="KeyspaceJanitor.ScanBatch"/> or so), runs the scenario and then "Reset my keys":
    /// the trace panel shows every command of each (nothing behind "… and N more"), and the reset's SCAN calls are folded
    /// into rows that each say how many calls they were, counting every SCAN that went on the wire.
    /// </summary>
    protected async Task AssertTheWholeStoryIsShownOnAFullServerAsync<T>(IRenderedComponent<T> cut)
        where T : class, Microsoft.AspNetCore.Components.IComponent
    {
        ArgumentNullException.ThrowIfNull(cut);
        var others = Redis.NewKeyspace();
        var batch = Db.CreateBatch();
        var writes = Enumerable.Range(0, OtherKeys)
            .Select(i => batch.StringSetAsync(others.Key("other", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "x", TimeSpan.FromMinutes(5)))
            .ToList();
        batch.Execute();
        await Task.WhenAll(writes);
        try
        {
            cut.Find("[data-testid='run-scenario']").Click();
            WaitForScenario(cut);
            AssertEveryCommandIsShown(cut, "Scenario");

            Click(cut, "reset");
            cut.WaitForAssertion(() => Assert.StartsWith("Reset", ShownTrace(cut, "Reset").Operation, StringComparison.Ordinal), Patience);
            AssertEveryCommandIsShown(cut, "Reset");
        }
        finally
        {
            await Janitor.DeleteByPrefixAsync(others.Prefix);
        }
    }

    private static void AssertEveryCommandIsShown<T>(IRenderedComponent<T> cut, string operation)
        where T : class, Microsoft.AspNetCore.Components.IComponent
    {
        var trace = ShownTrace(cut, operation);
        var rows = TraceRows(cut);
        Assert.Empty(cut.FindAll("[data-testid='trace-more']"));
        Assert.Equal(trace.Commands.Select(c => c.Text), rows.Select(r => r.QuerySelector("code.br-cmd")!.TextContent));

        // The reset walked the whole server: its SCAN rows say how many calls each stands for, and those add up to
        // every SCAN the profiler saw go on the wire.
        var scanRows = rows.Where(r => r.QuerySelector("code.br-cmd")!.TextContent.StartsWith("SCAN ", StringComparison.Ordinal)).ToList();
        var calls = scanRows.Sum(r => r.QuerySelector("[data-testid='trace-calls']") is { } note
            ? int.Parse(System.Text.RegularExpressions.Regex.Match(note.TextContent, @"× (\d+) calls").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 1);
        Assert.Equal(trace.WireNames.Count(n => n == "SCAN"), calls);
        Assert.True(calls >= OtherKeys / KeyspaceJanitor.ScanBatch / 2, $"{calls} SCAN calls over {OtherKeys} keys and more");
        Assert.InRange(scanRows.Count, 1, rows.Count(r => r.QuerySelector("code.br-cmd")!.TextContent.StartsWith("UNLINK ", StringComparison.Ordinal)) + 1);
    }

    /// <summary>The trace the panel shows, which must be of the operation starting with <paramref name="operation"/>.</summary>
    private static OperationTrace ShownTrace<T>(IRenderedComponent<T> cut, string operation)
        where T : class, Microsoft.AspNetCore.Components.IComponent =>
        cut.FindComponents<BlazorRedis.App.Components.Shared.CommandTracePanel>()
            .Select(panel => panel.Instance.Trace)
            .Single(trace => trace?.Operation.StartsWith(operation, StringComparison.Ordinal) == true)!;

    /// <summary>The trace panel's rows.</summary>
    protected static IReadOnlyList<IElement> TraceRows<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent => cut.FindAll("[data-testid='trace-row']");
}
