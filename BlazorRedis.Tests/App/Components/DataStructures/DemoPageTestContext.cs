using AngleSharp.Dom;
using BlazorRedis.App.Components.Pages.DataStructureDemos;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.DataStructures;

/// <summary>A component test context for one demo page on the real test Redis, with its own key prefix.</summary>
public abstract class DemoPageTestContext : MudTestContext
{
    protected DemoPageTestContext(RedisServerFixture redis)
    {
        Redis = redis;
        Keys = redis.NewKeyspace();
        Janitor = new KeyspaceJanitor(redis.Multiplexer, redis.Tracer);
    }

    /// <summary>How long a test waits for the page (generous: the test machine is shared and busy).</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    protected RedisServerFixture Redis { get; }

    protected RedisKeyspace Keys { get; }

    protected KeyspaceJanitor Janitor { get; }

    /// <summary>Renders a demo page with no pause between scenario steps.</summary>
    protected IRenderedComponent<T> RenderDemo<T>(DemoModule module)
        where T : DemoScenarioBase
    {
        var cut = RenderWithProviders<T>(p => p.Add(x => x.Demo, module.Descriptor).Add(x => x.StepDelay, TimeSpan.Zero));

        // Pages read their keys when they open; the buttons wait until that is done.
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid='run-scenario']").HasAttribute("disabled")), Patience);
        return cut;
    }

    /// <summary>Keys the page wrote for this learner in <paramref name="area"/>.</summary>
    protected Task<List<string>> AreaKeysAsync(string area) => DemoTestKit.KeysUnderAsync(Redis, Keys.ForLearner(Learner.Id).AreaPrefix(area));

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

    /// <summary>Waits for the scenario's closing narration.</summary>
    protected static void WaitForScenario<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.WaitForAssertion(() => Assert.StartsWith("Done", cut.Find("[data-testid='narration']").TextContent.Trim(), StringComparison.Ordinal), TimeSpan.FromSeconds(45));

    /// <summary>The trace panel's rows.</summary>
    protected static IReadOnlyList<IElement> TraceRows<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent => cut.FindAll("[data-testid='trace-row']");
}
