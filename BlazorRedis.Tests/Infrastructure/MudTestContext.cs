using BlazorRedis.App.Components;
using BlazorRedis.App.Components.Navigation;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.DataStructures;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// A bUnit context with MudBlazor's services, loose JS interop, an interactive server renderer, a fake status
/// source and the real demo catalog: the common setup of every component test.
/// </summary>
public class MudTestContext : BunitContext
{
    public MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IRedisStatusSource>(Status);
        var demos = new ServiceCollection().AddDataStructureDemos().BuildServiceProvider();
        Services.AddSingleton(demos.GetRequiredService<DemoCatalog>());
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(Budget);
    }

    /// <summary>The budgets of the expensive actions the pages see (a test may spend some first).</summary>
    public ActionBudget Budget { get; } = new(Options.Create(new BudgetOptions()), TimeProvider.System);

    /// <summary>The status the components see; call <see cref="FakeStatusSource.Publish"/> to change it.</summary>
    public FakeStatusSource Status { get; } = new();

    /// <summary>A learner to cascade to pages (not the teacher unless <see cref="ActAsTeacher"/> was called).</summary>
    public LearnerContext Learner { get; private set; } = new(BlazorRedis.Core.Keys.LearnerId.New(), false);

    /// <summary>Makes the cascaded learner the teacher, for tests of the class-wide controls. Call before rendering.</summary>
    public MudTestContext ActAsTeacher()
    {
        Learner = Learner with { IsTeacher = true };
        return this;
    }

    /// <summary>The renderer components see (interactive Blazor Server unless a test says otherwise).</summary>
    public RendererInfo RendererMode { get; set; } = new("Server", true);

    /// <summary>Renders <typeparamref name="T"/> inside a popover provider (menus, selects, tooltips need one) with the learner cascaded.</summary>
    /// <param name="parameters">The component's parameters.</param>
    /// <param name="popoverProvider">False for components that bring their own provider (the layout).</param>
    public IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null, bool popoverProvider = true)
        where T : IComponent
    {
        // Set here, not in the constructor, so derived test classes can still add services in theirs.
        SetRendererInfo(RendererMode);
        if (popoverProvider)
        {
            Render<MudPopoverProvider>();
        }

        return Render<T>(p =>
        {
            p.AddCascadingValue(Learner);
            parameters?.Invoke(p);
        });
    }
}

/// <summary>A status source a test controls.</summary>
public sealed class FakeStatusSource : IRedisStatusSource
{
    public RedisStatus Current { get; private set; } = RedisStatus.Unknown;

    public event Action<RedisStatus>? Changed;

    public void Publish(RedisStatus status)
    {
        Current = status;
        Changed?.Invoke(status);
    }

    public static RedisStatus Connected(double pingMs = 0.42) => new()
    {
        Connected = true,
        Mode = RedisMode.Embedded,
        Endpoint = "127.0.0.1:6399",
        Version = "7.0.15",
        PingMilliseconds = pingMs,
        UptimeSeconds = 3725,
        UsedMemoryHuman = "1.02M",
        ConnectedClients = 3,
        KeyspaceHits = 30,
        KeyspaceMisses = 10,
        CheckedAt = DateTimeOffset.UtcNow,
    };

    public static RedisStatus Down() => new()
    {
        Connected = false,
        Mode = RedisMode.External,
        Endpoint = "10.0.0.1:6379",
        Error = "Redis is unreachable (connection refused)",
        CheckedAt = DateTimeOffset.UtcNow,
    };
}
