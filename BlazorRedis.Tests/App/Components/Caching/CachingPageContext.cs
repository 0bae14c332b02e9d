using BlazorRedis.App.Components;
using BlazorRedis.App.Components.Navigation;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace BlazorRedis.Tests.App.Components.Caching;

/// <summary>
/// The MudTestContext setup plus the real caching services on the test Redis (unique prefix, fast database).
/// It repeats MudTestContext's few lines instead of deriving from it because MudTestContext calls
/// SetRendererInfo in its constructor, which builds the service provider, so a subclass can no longer add services.
/// </summary>
public sealed class CachingPageContext : BunitContext
{
    public CachingPageContext(RedisServerFixture redis, int latencyMs = 10)
    {
        Harness = CachingHarness.Create(redis, latencyMs);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IRedisStatusSource>(Status);
        Services.AddSingleton(new ServiceCollection().AddDataStructureDemos().BuildServiceProvider().GetRequiredService<DemoCatalog>());
        Services.AddSingleton<DemoComponentRegistry>();
        Services.AddSingleton(Harness.Cache);
        Services.AddSingleton(Harness.Database);
        Services.AddSingleton(Harness.WriteBehind);
        Services.AddSingleton(Harness.Stampede);
        Services.AddSingleton(Harness.Load);
        Services.AddSingleton(TimeProvider.System);
        SetRendererInfo(new RendererInfo("Server", true));
        Status.Publish(FakeStatusSource.Connected());
    }

    public CachingHarness Harness { get; }

    public IProductDatabase Database => Harness.Database;

    public FakeStatusSource Status { get; } = new();

    public LearnerContext Learner { get; } = new(BlazorRedis.Core.Keys.LearnerId.New(), false);

    /// <summary>Renders <typeparamref name="T"/> inside a popover provider with the learner cascaded.</summary>
    public IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        Render<MudPopoverProvider>();
        return Render<T>(p =>
        {
            p.AddCascadingValue(Learner);
            parameters?.Invoke(p);
        });
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await Harness.DisposeAsync();
    }
}
