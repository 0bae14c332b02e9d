using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>The pretend product database. Bound from <c>Catalog</c>.</summary>
public sealed class CatalogOptions
{
    /// <summary>How long every database call takes, in milliseconds (the learner can change it live). Default 2000.</summary>
    [Range(0, InMemoryProductDatabase.MaxLatencyMs, ErrorMessage = "Catalog:DatabaseLatencyMs must be between 0 and 30000.")]
    public int DatabaseLatencyMs { get; set; } = 2000;

    /// <summary>How many products the catalog starts with. Default 120.</summary>
    [Range(100, 100_000, ErrorMessage = "Catalog:ProductCount must be between 100 and 100000.")]
    public int ProductCount { get; set; } = 120;
}
