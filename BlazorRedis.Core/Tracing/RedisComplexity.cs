using System.Collections.Frozen;

namespace BlazorRedis.Core.Tracing;

/// <summary>
/// The time complexity Redis documents for each command, shown beside the measured round trip so a learner
/// sees that O(1) and O(N) both look "instant" at small N, and why N matters on a big server.
/// </summary>
public static class RedisComplexity
{
    private static readonly FrozenDictionary<string, string> Costs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        // Keys and server
        ["PING"] = "O(1)", ["DEL"] = "O(N) keys", ["UNLINK"] = "O(1) per key", ["EXISTS"] = "O(N) keys", ["EXPIRE"] = "O(1)",
        ["PEXPIRE"] = "O(1)", ["TTL"] = "O(1)", ["PTTL"] = "O(1)", ["PERSIST"] = "O(1)", ["TYPE"] = "O(1)",
        ["SCAN"] = "O(1) per call", ["KEYS"] = "O(N) all keys", ["INFO"] = "O(1)", ["MEMORY"] = "O(N) samples",
        ["TIME"] = "O(1)", ["EVAL"] = "script", ["EVALSHA"] = "script", ["SCRIPT"] = "O(N) script",
        ["OBJECT"] = "O(1)", ["DBSIZE"] = "O(1)", ["CONFIG"] = "O(N) params",
        // Strings
        ["GET"] = "O(1)", ["SET"] = "O(1)", ["SETEX"] = "O(1)", ["PSETEX"] = "O(1)", ["SETNX"] = "O(1)", ["GETSET"] = "O(1)",
        ["GETDEL"] = "O(1)", ["GETEX"] = "O(1)", ["MGET"] = "O(N) keys", ["MSET"] = "O(N) keys", ["INCR"] = "O(1)",
        ["INCRBY"] = "O(1)", ["INCRBYFLOAT"] = "O(1)", ["DECR"] = "O(1)", ["DECRBY"] = "O(1)", ["APPEND"] = "O(1)",
        ["STRLEN"] = "O(1)", ["GETRANGE"] = "O(N) bytes", ["SETRANGE"] = "O(1)",
        // Lists
        ["LPUSH"] = "O(1) per item", ["RPUSH"] = "O(1) per item", ["LPOP"] = "O(1)", ["RPOP"] = "O(1)", ["BLPOP"] = "O(1)",
        ["BRPOP"] = "O(1)", ["LMOVE"] = "O(1)", ["BLMOVE"] = "O(1)", ["LLEN"] = "O(1)", ["LRANGE"] = "O(S+N)",
        ["LTRIM"] = "O(N) removed", ["LINDEX"] = "O(N)", ["LREM"] = "O(N+M)", ["LPOS"] = "O(N)",
        // Hashes
        ["HSET"] = "O(1) per field", ["HGET"] = "O(1)", ["HMGET"] = "O(N) fields", ["HGETALL"] = "O(N) fields", ["HDEL"] = "O(N) fields",
        ["HINCRBY"] = "O(1)", ["HINCRBYFLOAT"] = "O(1)", ["HEXISTS"] = "O(1)", ["HLEN"] = "O(1)", ["HKEYS"] = "O(N)", ["HVALS"] = "O(N)",
        ["HSCAN"] = "O(1) per call",
        // Sets
        ["SADD"] = "O(1) per member", ["SREM"] = "O(1) per member", ["SISMEMBER"] = "O(1)", ["SMISMEMBER"] = "O(N) members",
        ["SMEMBERS"] = "O(N)", ["SCARD"] = "O(1)", ["SINTER"] = "O(N·M)", ["SINTERCARD"] = "O(N·M)", ["SDIFF"] = "O(N) total",
        ["SUNION"] = "O(N) total", ["SINTERSTORE"] = "O(N·M)", ["SUNIONSTORE"] = "O(N) total", ["SDIFFSTORE"] = "O(N) total",
        ["SRANDMEMBER"] = "O(1)", ["SPOP"] = "O(1)", ["SSCAN"] = "O(1) per call",
        // Sorted sets
        ["ZADD"] = "O(log N)", ["ZINCRBY"] = "O(log N)", ["ZSCORE"] = "O(1)", ["ZRANK"] = "O(log N)", ["ZREVRANK"] = "O(log N)",
        ["ZRANGE"] = "O(log N + M)", ["ZREVRANGE"] = "O(log N + M)", ["ZRANGEBYSCORE"] = "O(log N + M)", ["ZCARD"] = "O(1)",
        ["ZCOUNT"] = "O(log N)", ["ZREM"] = "O(M log N)", ["ZREMRANGEBYSCORE"] = "O(log N + M)", ["ZREMRANGEBYRANK"] = "O(log N + M)",
        ["ZPOPMIN"] = "O(M log N)", ["ZPOPMAX"] = "O(M log N)", ["ZMSCORE"] = "O(N)",
        // Bitmaps
        ["SETBIT"] = "O(1)", ["GETBIT"] = "O(1)", ["BITCOUNT"] = "O(N) bytes", ["BITOP"] = "O(N) bytes", ["BITPOS"] = "O(N) bytes",
        ["BITFIELD"] = "O(1) per op",
        // HyperLogLog
        ["PFADD"] = "O(1) per item", ["PFCOUNT"] = "O(1)", ["PFMERGE"] = "O(N) sketches",
        // Geo
        ["GEOADD"] = "O(log N) per item", ["GEODIST"] = "O(1)", ["GEOPOS"] = "O(1) per member", ["GEOHASH"] = "O(1) per member",
        ["GEOSEARCH"] = "O(N + log M)", ["GEOSEARCHSTORE"] = "O(N + log M)", ["GEORADIUS"] = "O(N + log M)",
        ["GEORADIUSBYMEMBER"] = "O(N + log M)",
        // Streams
        ["XADD"] = "O(1)", ["XLEN"] = "O(1)", ["XRANGE"] = "O(log N + M)", ["XREVRANGE"] = "O(log N + M)", ["XREAD"] = "O(M) entries",
        ["XREADGROUP"] = "O(M) entries", ["XACK"] = "O(1) per id", ["XGROUP"] = "O(1)", ["XPENDING"] = "O(N) pending",
        ["XCLAIM"] = "O(log N) per id", ["XAUTOCLAIM"] = "O(1) per claimed", ["XTRIM"] = "O(N) evicted", ["XDEL"] = "O(1) per id",
        ["XINFO"] = "O(N)",
        // Pub/Sub
        ["PUBLISH"] = "O(N+M) receivers", ["SUBSCRIBE"] = "O(N) channels", ["PSUBSCRIBE"] = "O(N) patterns",
        ["UNSUBSCRIBE"] = "O(N) channels", ["PUNSUBSCRIBE"] = "O(N) patterns",
        // Transactions
        ["MULTI"] = "O(1)", ["EXEC"] = "queued", ["WATCH"] = "O(1) per key", ["UNWATCH"] = "O(1)",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The documented complexity of <paramref name="command"/>, or null when not listed.</summary>
    public static string? Of(string? command) => command is not null && Costs.TryGetValue(command, out var cost) ? cost : null;
}
