using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Invalidation;

/// <summary>The invalidation lab: delete cached products by key, by tag (category) and by pattern.</summary>
public interface IProductInvalidation
{
    /// <summary>Deletes one product's key and the list key.</summary>
    Task<Traced<long>> InvalidateProductAsync(int id);

    /// <summary>Deletes every cached product of a category (the members of its tag set), the set itself and the list.</summary>
    Task<Traced<long>> InvalidateTagAsync(string category);

    /// <summary>Deletes the cache keys matching <paramref name="pattern"/> (relative to <c>{prefix}cache:</c>) with SCAN in batches.</summary>
    Task<Traced<PatternInvalidation>> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default);
}
