namespace BlazorRedis.Core.Strings;

/// <summary>The result of firing many INCRs at once.</summary>
/// <param name="Before">The counter before.</param>
/// <param name="After">The counter after all replies arrived.</param>
/// <param name="Fired">How many INCRs were sent concurrently.</param>
/// <param name="DistinctReplies">How many different values the INCRs returned (= <paramref name="Fired"/> when none was lost).</param>
public sealed record ConcurrentIncrements(long Before, long After, int Fired, int DistinctReplies)
{
    /// <summary>After − Before: equals <see cref="Fired"/> because INCR is atomic.</summary>
    public long Gained => After - Before;
}
