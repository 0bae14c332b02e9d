using BlazorRedis.Core.Keys;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>
/// The cache's key names, all under <c>{prefix}{cache}:</c>. The <c>{cache}</c> hash tag puts every cache key in one Redis
/// Cluster slot, so one UNLINK may drop a product and the list together and the write-behind script may touch the
/// queue, the product and the list atomically (a cluster refuses a command or script whose keys span slots: CROSSSLOT).
/// </summary>
public sealed class CacheKeys(RedisKeyspace keyspace)
{
    /// <summary>The hash tag every cache key carries.</summary>
    public const string HashTag = "cache";

    /// <summary><c>{prefix}{cache}:</c>, the root of every cache key (pattern invalidation never leaves it).</summary>
    public string Root { get; } = $"{keyspace.Tagged(HashTag)}:";

    /// <summary><c>{prefix}{cache}:product:{id}</c>.</summary>
    public RedisKey Product(int id) => keyspace.Tagged(HashTag, "product", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary><c>{prefix}{cache}:products:all</c>, the cached list.</summary>
    public RedisKey List => keyspace.Tagged(HashTag, "products", "all");

    /// <summary><c>{prefix}{cache}:tag:{category}</c>: a set of the product keys cached for one category.</summary>
    public RedisKey Tag(string category) => keyspace.Tagged(HashTag, "tag", category);

    /// <summary><c>{prefix}{cache}:writebehind:queue</c>, the write-behind stream.</summary>
    public RedisKey WriteBehindStream => keyspace.Tagged(HashTag, "writebehind", "queue");

    /// <summary>The root of the stampede races' throw-away keys.</summary>
    public RedisKey StampedeKey(string race, string part) => keyspace.Tagged(HashTag, "stampede", race, part);
}
