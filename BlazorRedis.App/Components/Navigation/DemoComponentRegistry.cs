using System.Reflection;

namespace BlazorRedis.App.Components.Navigation;

/// <summary>Marks the component that renders the data-structure demo with this slug at <c>/data-structures/{slug}</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DemoPageAttribute(string slug) : Attribute
{
    public string Slug { get; } = slug;
}

/// <summary>Finds demo components by their <see cref="DemoPageAttribute"/>, so a new demo needs no route or menu edit.</summary>
public sealed class DemoComponentRegistry
{
    private readonly Dictionary<string, Type> _bySlug;

    public DemoComponentRegistry()
        : this(typeof(DemoComponentRegistry).Assembly)
    {
    }

    public DemoComponentRegistry(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _bySlug = assembly.GetTypes()
            .Select(t => (Type: t, Attr: t.GetCustomAttribute<DemoPageAttribute>()))
            .Where(x => x.Attr is not null)
            .ToDictionary(x => x.Attr!.Slug, x => x.Type, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The component for <paramref name="slug"/>, or null when the demo has no page yet.</summary>
    public Type? Find(string slug) => _bySlug.GetValueOrDefault(slug);
}
