using BlazorRedis.Core.Keys;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>What a test sees of the keys under a prefix, straight from the servers (never through the code under test).</summary>
public static class RedisKeys
{
    /// <summary>Every key under <paramref name="prefix"/>, walked with SCAN on each primary (one server, or every node of a cluster).</summary>
    public static async Task<List<string>> UnderAsync(IConnectionMultiplexer mux, string prefix)
    {
        ArgumentNullException.ThrowIfNull(mux);
        var keys = new List<string>();
        foreach (var server in KeyScanner.Primaries(mux))
        {
            await foreach (var key in server.KeysAsync(pattern: RedisKeyspace.PrefixPattern(prefix), pageSize: 1000))
            {
                keys.Add(key!);
            }
        }

        return keys;
    }
}
