using System.Text.Json.Serialization;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Stampede;

namespace BlazorRedis.Core.Caching;

/// <summary>System.Text.Json source generation for everything the cache stores (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(List<Product>))]
[JsonSerializable(typeof(XFetchEntry))]
[JsonSerializable(typeof(QueuedProductWrite))]
[JsonSerializable(typeof(ProductInput))]
[JsonSerializable(typeof(BlazorRedis.Core.Caching.Libraries.ProductEnvelope))]
public sealed partial class CachingJsonContext : JsonSerializerContext;
