using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.DataStructures;

/// <summary>What the navigation and the demo route need to know about one data-structure demo.</summary>
/// <param name="Slug">The URL segment, e.g. <c>strings</c> → <c>/data-structures/strings</c>.</param>
/// <param name="Title">The name in the menu, e.g. "Strings".</param>
/// <param name="Scenario">The story the demo tells, e.g. "Session tokens and view counters".</param>
/// <param name="Summary">One sentence on what the structure is for.</param>
/// <param name="Order">Position in the menu.</param>
/// <param name="Icon">A Material icon name for the App to map (Core knows no UI library).</param>
public sealed record DemoDescriptor(string Slug, string Title, string Scenario, string Summary, int Order, string Icon = "data_object");

/// <summary>
/// A data-structure demo registers itself by deriving from this class in its own folder: the nav, the
/// route and its services come from here, so a tenth demo touches one folder (plus its own visual).
/// </summary>
public abstract class DemoModule
{
    /// <summary>The demo's menu entry and route.</summary>
    public abstract DemoDescriptor Descriptor { get; }

    /// <summary>Registers the demo's services.</summary>
    public virtual void ConfigureServices(IServiceCollection services)
    {
    }
}

/// <summary>The registered demos, in menu order.</summary>
public sealed class DemoCatalog(IEnumerable<DemoDescriptor> demos)
{
    /// <summary>All demos, ordered.</summary>
    public IReadOnlyList<DemoDescriptor> All { get; } = demos.OrderBy(d => d.Order).ThenBy(d => d.Title, StringComparer.Ordinal).ToList();

    /// <summary>The demo with this slug, or null.</summary>
    public DemoDescriptor? Find(string? slug) => All.FirstOrDefault(d => string.Equals(d.Slug, slug, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Finds every <see cref="DemoModule"/> in Core and registers it.</summary>
public static class DemoServiceCollectionExtensions
{
    /// <summary>Registers all demo modules declared in this assembly.</summary>
    public static IServiceCollection AddDataStructureDemos(this IServiceCollection services)
    {
        var modules = typeof(DemoModule).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(DemoModule)) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (DemoModule)Activator.CreateInstance(t)!);
        foreach (var module in modules)
        {
            services.AddSingleton(module.Descriptor);
            module.ConfigureServices(services);
        }

        services.AddSingleton<DemoCatalog>();
        return services;
    }

    internal static IEnumerable<Type> ModuleTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsAbstract: false } && t.IsSubclassOf(typeof(DemoModule)));
}
