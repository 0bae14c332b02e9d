using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.DataStructures;

/// <summary>
/// One data-structure demo's registration, in its own folder: its menu entry and its service. Registered with one
/// visible line, <see cref="DemoServiceCollectionExtensions.AddDemo{TModule}"/>.
/// </summary>
public abstract class DemoModule
{
    /// <summary>The demo's menu entry and route.</summary>
    public abstract DemoDescriptor Descriptor { get; }

    /// <summary>Registers the demo's services; call <see cref="AddDemoService{TService, TImplementation}"/> for its main service.</summary>
    public abstract void ConfigureServices(IServiceCollection services);

    /// <summary>
    /// Registers the demo's service as a singleton under its own interface and as an <see cref="IDataStructureDemo"/>
    /// (the same instance), so tests and tools can enumerate every registered demo.
    /// </summary>
    protected static void AddDemoService<TService, TImplementation>(IServiceCollection services)
        where TService : class, IDataStructureDemo
        where TImplementation : class, TService
    {
        services.AddSingleton<TService, TImplementation>();
        services.AddSingleton<IDataStructureDemo>(sp => sp.GetRequiredService<TService>());
    }
}
