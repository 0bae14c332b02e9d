using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>The pretend product database. Bound from <c>Catalog</c>.</summary>
public sealed class CatalogOptions : IValidatableObject
{
    /// <summary>The default of <see cref="MaxProducts"/>.</summary>
    public const int DefaultMaxProducts = 1000;

    /// <summary>
    /// How many applied write-behind ids the database remembers (the newest; the oldest are forgotten together from
    /// the set and the log). A replay is of an entry still in the queue, read but not yet acknowledged, and the queue
    /// holds at most <c>Caching:WriteBehindMaxQueue</c> (10,000 by default) writes, so twice that covers any replay
    /// in practice. A replay older still would be skipped as superseded by a newer write of its product, or write the
    /// row it already wrote.
    /// </summary>
    public const int AppliedWriteIdsKept = 20_000;

    /// <summary>How long every database call takes, in milliseconds (the learner can change it live). Default 2000.</summary>
    [Range(0, InMemoryProductDatabase.MaxLatencyMs, ErrorMessage = "Catalog:DatabaseLatencyMs must be between 0 and 30000.")]
    public int DatabaseLatencyMs { get; set; } = 2000;

    /// <summary>How many products the catalog starts with. Default 120.</summary>
    [Range(100, 100_000, ErrorMessage = "Catalog:ProductCount must be between 100 and 100000.")]
    public int ProductCount { get; set; } = 120;

    /// <summary>
    /// The most products a catalog may hold: a create beyond it is refused (<see cref="CatalogFullException"/>) and
    /// changes nothing, so no client can grow the shared catalog, and the cached list with it, without bound.
    /// At least <see cref="ProductCount"/>. Default 1000.
    /// </summary>
    [Range(100, 100_000, ErrorMessage = "Catalog:MaxProducts must be between 100 and 100000.")]
    public int MaxProducts { get; set; } = DefaultMaxProducts;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxProducts < ProductCount)
        {
            yield return new ValidationResult(
                $"Catalog:MaxProducts ({MaxProducts}) must be at least Catalog:ProductCount ({ProductCount}), the products the catalog starts with.",
                [nameof(MaxProducts)]);
        }
    }
}
