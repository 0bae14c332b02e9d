namespace BlazorRedis.Core.Sets;

/// <summary>Both posts' tags as SMEMBERS returned them (sorted for display; a set has no order).</summary>
public sealed record TagsState(IReadOnlyList<string> First, IReadOnlyList<string> Second)
{
    /// <summary>Nothing tagged yet.</summary>
    public static TagsState Empty { get; } = new([], []);
}
