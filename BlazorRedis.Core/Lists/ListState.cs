namespace BlazorRedis.Core.Lists;

/// <summary>A list as LRANGE returned it: index 0 is the left end (where LPUSH adds), the last item the right end (where RPOP takes).</summary>
/// <param name="Items">The items read (at most <see cref="IListsDemo.MaxShown"/>).</param>
/// <param name="Length">LLEN: how many items the list holds in total.</param>
public sealed record ListState(IReadOnlyList<string> Items, long Length)
{
    /// <summary>An empty list.</summary>
    public static ListState Empty { get; } = new([], 0);
}
