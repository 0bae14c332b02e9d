namespace BlazorRedis.Core.DataStructures;

/// <summary>The registered demos, in menu order: the nav and the index are built from it.</summary>
public sealed class DemoCatalog(IEnumerable<DemoDescriptor> demos)
{
    /// <summary>All demos, ordered.</summary>
    public IReadOnlyList<DemoDescriptor> All { get; } = demos.OrderBy(d => d.Order).ThenBy(d => d.Title, StringComparer.Ordinal).ToList();

    /// <summary>The demo with this slug, or null.</summary>
    public DemoDescriptor? Find(string? slug) => All.FirstOrDefault(d => string.Equals(d.Slug, slug, StringComparison.OrdinalIgnoreCase));

    /// <summary>The demo with this slug; a slug nobody registered is a bug.</summary>
    public DemoDescriptor Get(string slug) => Find(slug) ?? throw new InvalidOperationException($"No demo is registered with the slug \"{slug}\". Add services.AddDemo<…>() in {nameof(DemoServiceCollectionExtensions)}.");
}
