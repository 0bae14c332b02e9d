using BlazorRedis.Core.Bitmaps;
using BlazorRedis.Core.Geo;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Core.HyperLogLog;
using BlazorRedis.Core.Lists;
using BlazorRedis.Core.Sets;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Streams;
using BlazorRedis.Core.Strings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BlazorRedis.Core.DataStructures;

/// <summary>Registers the data-structure demos: one visible line per demo.</summary>
public static class DemoServiceCollectionExtensions
{
    /// <summary>Registers every data-structure demo, in no particular order (the descriptors carry the menu order).</summary>
    public static IServiceCollection AddDataStructureDemos(this IServiceCollection services)
    {
        services.AddDemo<StringsDemoModule>();
        services.AddDemo<ListsDemoModule>();
        services.AddDemo<HashesDemoModule>();
        services.AddDemo<SetsDemoModule>();
        services.AddDemo<SortedSetsDemoModule>();
        services.AddDemo<BitmapsDemoModule>();
        services.AddDemo<HyperLogLogDemoModule>();
        services.AddDemo<GeoDemoModule>();
        services.AddDemo<StreamsDemoModule>();
        return services;
    }

    /// <summary>Registers one demo: its descriptor (for the nav, the index and the page) and its services.</summary>
    public static IServiceCollection AddDemo<TModule>(this IServiceCollection services)
        where TModule : DemoModule, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        var module = new TModule();
        services.AddSingleton(module.Descriptor);
        module.ConfigureServices(services);
        services.TryAddSingleton<DemoCatalog>();
        return services;
    }
}
