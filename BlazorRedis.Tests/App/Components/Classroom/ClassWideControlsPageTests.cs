using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.App.Components.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>
/// A learner's browser shows every class-wide control read-only with the note, and an event sent anyway (a crafted
/// circuit message reaches the handler even when the button is disabled) changes nothing. (The caching pages' latency,
/// worker pause and pattern invalidation act on the learner's own lab: CachingLabPagesTests.)
/// </summary>
public class ClassWideControlsPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>Invokes a button's handler directly, as a crafted circuit event would, disabled or not.</summary>
    internal static Task ForceClickAsync(IRenderedComponent<IComponent> cut, string testId)
    {
        var button = cut.FindComponents<MudButton>().Single(b => Equals(b.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId));
        return cut.InvokeAsync(() => button.Instance.OnClick.InvokeAsync());
    }

    private static void AssertReadOnlyWithNote<T>(IRenderedComponent<T> cut, string selector)
        where T : IComponent
    {
        Assert.True(cut.Find(selector).HasAttribute("disabled"), $"{selector} is not disabled");
        Assert.Contains(TeacherOnlyNote.Text, cut.Find("[data-testid=teacher-only]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_learner_cannot_run_the_eviction_lab_for_the_class()
    {
        await using var ctx = new MudTestContext();
        var lab = new CountingLab();
        ctx.Services.AddSingleton<IEvictionLab>(lab);
        var cut = ctx.RenderWithProviders<EvictionLabPage>();

        AssertReadOnlyWithNote(cut, "button[data-testid=run]");
        await ForceClickAsync(cut, "run");

        Assert.Equal(0, lab.Runs);
    }

    /// <summary>A lab that only counts the runs it was asked for.</summary>
    private sealed class CountingLab : IEvictionLab
    {
        public int Runs { get; private set; }

        public EvictionLabStatus Status { get; } = new(true, null, false, null, 2 * 1024 * 1024, false);

        public Task<Traced<EvictionRunResult>> RunAsync(EvictionWorkload workload, CancellationToken cancellationToken = default)
        {
            Runs++;
            return Task.FromException<Traced<EvictionRunResult>>(new InvalidOperationException("not in this test"));
        }
    }
}
