namespace BlazorRedis.Core.DataStructures;

/// <summary>What the navigation, the index and the page need to know about one data-structure demo.</summary>
/// <param name="Slug">The URL segment and the key area, e.g. <c>strings</c> → <c>/data-structures/strings</c>.</param>
/// <param name="Title">The name in the menu, e.g. "Strings".</param>
/// <param name="Scenario">The story the demo tells, e.g. "Session tokens and view counters".</param>
/// <param name="Summary">One sentence on what the structure is for.</param>
/// <param name="Order">Position in the menu.</param>
/// <param name="Icon">A Material icon name for the App to map (Core knows no UI library).</param>
public sealed record DemoDescriptor(string Slug, string Title, string Scenario, string Summary, int Order, string Icon = "data_object")
{
    /// <summary>The page's route, <c>/data-structures/{slug}</c>.</summary>
    public string Href => "/data-structures/" + Slug;
}
