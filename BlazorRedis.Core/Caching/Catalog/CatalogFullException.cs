namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>A create was refused because the catalog already holds <c>Catalog:MaxProducts</c> products; nothing was written.</summary>
public sealed class CatalogFullException : LearnerInputException
{
    /// <summary>The catalog holds <paramref name="maxProducts"/> products, its most.</summary>
    public CatalogFullException(int maxProducts)
        : base($"The catalog is full: it already holds {maxProducts} products, the most it may hold (Catalog:MaxProducts). Delete a product before you add another.")
    {
        MaxProducts = maxProducts;
    }

    public CatalogFullException()
    {
    }

    public CatalogFullException(string message)
        : base(message)
    {
    }

    public CatalogFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The most products the catalog may hold.</summary>
    public int MaxProducts { get; }
}
