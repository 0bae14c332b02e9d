using BlazorRedis.Core.Keys;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>The cache's key names, all under <c>{prefix}cache:</c>.</summary>
public sealed class CacheKeys(RedisKeyspace keyspace)
{
    /// <summary><c>{prefix}cache:</c>, the root of every cache key (pattern invalidation never leaves it).</summary>
    public string Root { get; } = keyspace.Prefix + "cache:";

    /// <summary><c>{prefix}cache:product:{id}</c>.</summary>
    public RedisKey Product(int id) => keyspace.Key("cache", "product", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary><c>{prefix}cache:products:all</c>, the cached list.</summary>
    public RedisKey List => keyspace.Key("cache", "products", "all");

    /// <summary><c>{prefix}cache:tag:{category}</c>: a set of the product keys cached for one category.</summary>
    public RedisKey Tag(string category) => keyspace.Key("cache", "tag", category);

    /// <summary><c>{prefix}cache:writebehind:queue</c>, the write-behind stream.</summary>
    public RedisKey WriteBehindStream => keyspace.Key("cache", "writebehind", "queue");

    /// <summary>The root of the stampede races' throw-away keys.</summary>
    public RedisKey StampedeKey(string race, string part) => keyspace.Key("cache", "stampede", race, part);
}
