using System.Collections.Concurrent;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Invalidation;

/// <summary>
/// Cache keys that a write could not invalidate because Redis failed after the database had already changed.
/// Until a retry deletes them, reads of these keys skip the cache (so this app never serves the stale copy), and
/// <see cref="PendingInvalidationWorker"/> retries the deletes once a second. A second app instance sharing the Redis
/// does not know about them: there the stale copy lives until its TTL at most.
/// </summary>
public sealed class PendingInvalidations(RedisGate redis, ILogger<PendingInvalidations> logger)
{
    // Key to delete → tag set to remove it from (null when none). The value of a later write wins.
    private readonly ConcurrentDictionary<RedisKey, RedisKey?> _keys = new();

    /// <summary>Keys waiting for their delete.</summary>
    public int Count => _keys.Count;

    /// <summary>True while <paramref name="key"/> may still hold a value older than the database.</summary>
    public bool Contains(RedisKey key) => _keys.ContainsKey(key);

    /// <summary>The keys waiting for their delete, sorted.</summary>
    public IReadOnlyList<string> Keys => [.. _keys.Keys.Select(k => (string)k!).Order(StringComparer.Ordinal)];

    /// <summary>Remembers <paramref name="keys"/> (and the tag set each must leave) for a later delete.</summary>
    public void Add(IEnumerable<RedisKey> keys, RedisKey? tag = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            _keys[key] = tag;
        }
    }

    /// <summary>Deletes every waiting key (and takes it out of its tag set); returns how many were cleared.</summary>
    public Task<int> RetryAsync() => RetryAsync(TraceRecorder.None);

    /// <summary>Like <see cref="RetryAsync()"/>, recording the commands in <paramref name="recorder"/>.</summary>
    public async Task<int> RetryAsync(TraceRecorder recorder)
    {
        var cleared = 0;
        foreach (var (key, tag) in _keys.ToArray())
        {
            try
            {
                await CacheCommands.UnlinkAsync(redis, recorder, [key]).ConfigureAwait(false);
                if (tag is { } set)
                {
                    await CacheCommands.RemoveFromTagAsync(redis, recorder, set, key).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                logger.LogDebug(ex, "Redis is still unavailable; {Count} cache keys wait for their invalidation", _keys.Count);
                return cleared;
            }
            catch (RedisServerException ex)
            {
                // Up, but refusing (e.g. the tag key holds another type): keep the key pending, say why, try later.
                logger.LogWarning("Redis refused a pending invalidation of {Key} ({Message}); retrying later", (string?)key, ex.Message);
                return cleared;
            }

            // Only forget the key if no newer write queued it again meanwhile (with another tag).
            if (_keys.TryRemove(new KeyValuePair<RedisKey, RedisKey?>(key, tag)))
            {
                cleared++;
            }
        }

        if (cleared > 0)
        {
            logger.LogInformation("Invalidated {Count} cache keys that a write could not clear while Redis was unavailable", cleared);
        }

        return cleared;
    }
}
