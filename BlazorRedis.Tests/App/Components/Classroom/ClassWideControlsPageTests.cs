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
/// circuit message reaches the handler even when the button is disabled) changes nothing.
/// </summary>
public class ClassWideControlsPageTests(RedisServerFixture redis)
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
    public async Task A_learner_cannot_change_the_database_latency()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 40);
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        AssertReadOnlyWithNote(cut, "button[data-testid=set-latency]");
        Assert.True(cut.Find("input[data-testid=latency-input], [data-testid=latency-input] input").HasAttribute("readonly"));
        await CacheAsideRaceTests.SetNumberAsync(cut, "latency-input", "30000");
        await ForceClickAsync(cut, "set-latency");

        Assert.Equal(TimeSpan.FromMilliseconds(40), ctx.Database.Latency);
        Assert.Contains(TeacherOnlyNote.Text, cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_teacher_sees_the_latency_control_enabled_without_the_note()
    {
        await using var ctx = new CachingPageContext(redis);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<CacheAsideRace>();

        Assert.False(cut.Find("button[data-testid=set-latency]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=teacher-only]"));
    }

    [Fact]
    public async Task A_learner_cannot_pause_the_write_behind_worker()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<WriteStrategies>();

        AssertReadOnlyWithNote(cut, "[data-testid=pause-worker] input, input[data-testid=pause-worker]");
        var toggle = cut.FindComponent<MudSwitch<bool>>();
        await cut.InvokeAsync(() => toggle.Instance.ValueChanged.InvokeAsync(true));

        Assert.False(ctx.Harness.WriteBehind.Paused);
    }

    [Fact]
    public async Task A_learner_cannot_invalidate_shared_keys_by_pattern()
    {
        await using var ctx = new CachingPageContext(redis);
        var cut = ctx.RenderWithProviders<Invalidation>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=warm]").Click());
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=cached-key]").Count >= 24), Wait);
        var cached = cut.FindAll("[data-testid=cached-key]").Count;

        AssertReadOnlyWithNote(cut, "button[data-testid=by-pattern]");
        cut.Find("input[data-testid=pattern], [data-testid=pattern] input").Change("*");
        await ForceClickAsync(cut, "by-pattern");
        Assert.Contains(TeacherOnlyNote.Text, cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=refresh]").Click());

        cut.WaitForAssertion(() => Assert.Equal(cached, cut.FindAll("[data-testid=cached-key]").Count), Wait);
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
