namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>A product as the database stores it and the cache copies it.</summary>
public sealed record Product(int Id, string Name, decimal Price, string Category, int Stock, DateTimeOffset UpdatedAt);
