namespace BlazorRedis.App.Components.Navigation;

/// <summary>One entry of the navigation drawer (and a card on the home page).</summary>
public sealed record NavArea(string Title, string Href, string Icon, string Summary, IReadOnlyList<NavArea> Children)
{
    public NavArea(string title, string href, string icon, string summary)
        : this(title, href, icon, summary, [])
    {
    }
}
