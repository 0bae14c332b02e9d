using System.Globalization;
using BlazorRedis.Core.Keys;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>
/// The cache's key names, all under one <see cref="Root"/>. The shared catalog's (the REST API's and the teacher's) is
/// <c>{prefix}{cache}:</c>: the <c>{cache}</c> hash tag puts every cache key in one Redis Cluster slot, so one UNLINK may
/// drop a product and the list together and the write-behind script may touch the queue, the product and the list
/// atomically (a cluster refuses a command or script whose keys span slots: CROSSSLOT). A learner's caching lab is
/// <c>{prefix}learner:{id}:cache:</c>, whose hash tag is the learner's id: one slot again, and theirs alone.
/// </summary>
public sealed class CacheKeys
{
    /// <summary>The hash tag every shared cache key carries.</summary>
    public const string HashTag = "cache";

    /// <summary>The area of a learner's keyspace that holds their caching lab.</summary>
    public const string LearnerArea = "cache";

    public CacheKeys(RedisKeyspace keyspace)
        : this($"{(keyspace ?? throw new ArgumentNullException(nameof(keyspace))).Tagged(HashTag)}:", null)
    {
    }

    private CacheKeys(string root, TimeSpan? keyTtl)
    {
        Root = root;
        KeyTtl = keyTtl;
    }

    /// <summary>The keys of one learner's caching lab, under <c>{prefix}learner:{id}:cache:</c>.</summary>
    public static CacheKeys ForLearner(LearnerKeyspace learner)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return new(learner.AreaPrefix(LearnerArea), learner.KeyTtl);
    }

    /// <summary>
    /// A learner's lab: how long its keys live after a write (<c>Keyspace:LearnerKeyTtlSeconds</c>), so even the
    /// write-behind queue, which has no cache TTL, goes once the learner stops. Null for the shared catalog.
    /// </summary>
    public TimeSpan? KeyTtl { get; }

    /// <summary><c>{prefix}{cache}:</c> (or a learner's <c>…:cache:</c>), the root of every cache key (pattern invalidation never leaves it).</summary>
    public string Root { get; }

    /// <summary><c>{root}product:{id}</c>.</summary>
    public RedisKey Product(int id) => Root + "product:" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>{root}products:all</c>, the cached list.</summary>
    public RedisKey List => Root + "products:all";

    /// <summary><c>{root}tag:{category}</c>: a set of the product keys cached for one category.</summary>
    public RedisKey Tag(string category) => Root + "tag:" + RedisKeyspace.Join([category]);

    /// <summary><c>{root}writebehind:queue</c>, the write-behind stream.</summary>
    public RedisKey WriteBehindStream => Root + "writebehind:queue";

    /// <summary>The root of the stampede races' throw-away keys.</summary>
    public RedisKey StampedeKey(string race, string part) => Root + "stampede:" + RedisKeyspace.Join([race, part]);
}
