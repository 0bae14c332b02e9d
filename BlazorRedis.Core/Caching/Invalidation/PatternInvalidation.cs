namespace BlazorRedis.Core.Caching.Invalidation;

/// <summary>What a pattern invalidation did.</summary>
/// <param name="Pattern">The full MATCH pattern used.</param>
/// <param name="Batches">SCAN round trips.</param>
/// <param name="Deleted">Keys removed.</param>
public sealed record PatternInvalidation(string Pattern, int Batches, long Deleted);
