namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>The slow "summarize" call cached by its arguments.</summary>
/// <param name="Key">The cache key derived from the arguments (a hash of the normalized text and the length).</param>
/// <param name="Summary">The summary.</param>
/// <param name="Computed">True when the slow function ran; false when the cache answered.</param>
/// <param name="Elapsed">The whole call, measured.</param>
public sealed record CachedSummary(string Key, string Summary, bool Computed, TimeSpan Elapsed);
