using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Invalidation;

/// <summary>Invalidation on Redis: UNLINK by key, SMEMBERS of a tag set then UNLINK, or SCAN … MATCH in batches.</summary>
public sealed class ProductInvalidation(IConnectionMultiplexer mux, RedisGate redis, RedisTracer tracer, CacheKeys keys) : IProductInvalidation
{
    /// <summary>Keys one SCAN step asks for.</summary>
    public const int ScanBatch = 250;

    /// <summary>Longest invalidation pattern accepted.</summary>
    public const int MaxPatternLength = 200;

    public async Task<Traced<long>> InvalidateProductAsync(int id)
    {
        var recorder = tracer.Start($"Invalidate product {id}");
        var removed = await CacheCommands.UnlinkAsync(redis, recorder, [keys.Product(id), keys.List]).ConfigureAwait(false);
        return new(removed, recorder.Finish());
    }

    public async Task<Traced<long>> InvalidateTagAsync(string category)
    {
        if (string.IsNullOrWhiteSpace(category))
        {
            throw new LearnerInputException("Choose a category (tag) to invalidate.", nameof(category));
        }

        RedisKeyspace.Validate(category, nameof(category));
        var recorder = tracer.Start($"Invalidate tag {category}");
        var tag = keys.Tag(category);
        var members = await redis.RunAsync(
            recorder,
            RedisCommandText.Format("SMEMBERS", tag),
            $"RedisValue[] keys = await db.SetMembersAsync({RedisCommandText.CSharpString(tag)});",
            db => db.SetMembersAsync(tag),
            m => RedisCommandText.List(m.Select(v => v.ToString()))).ConfigureAwait(false);
        var tagged = members.Select(m => (string)m!)
            .Where(k => k.StartsWith(keys.Root + "product:", StringComparison.Ordinal)) // a tag only ever names product keys
            .Select(k => (RedisKey)k)
            .ToArray();
        var removed = tagged.Length == 0 ? 0 : await CacheCommands.UnlinkAsync(redis, recorder, tagged).ConfigureAwait(false);
        await CacheCommands.UnlinkAsync(redis, recorder, [tag, keys.List]).ConfigureAwait(false);
        return new(removed, recorder.Finish());
    }

    public async Task<Traced<PatternInvalidation>> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default)
    {
        ValidatePattern(pattern);
        var recorder = tracer.Start($"Invalidate cache:{pattern}");
        var match = RedisKeyspace.PrefixPattern(keys.Root)[..^1] + pattern;
        var protectedPrefix = keys.Root + "writebehind:";
        long deleted = 0;
        redis.EnsureConnected();
        var batches = await KeyScanner.ScanAsync(recorder, KeyScanner.Primaries(mux), match, ScanBatch, keys.Root, async found =>
        {
            // The write-behind queue lives under cache: too; a broad pattern must never drop queued writes.
            var doomed = found.Where(k => !((string)k!).StartsWith(protectedPrefix, StringComparison.Ordinal)).ToArray();
            if (doomed.Length > 0)
            {
                redis.EnsureConnected();
                deleted += await KeyScanner.UnlinkAsync(recorder, redis.Db, doomed, redis.Timeout).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return new(new PatternInvalidation(match, batches, deleted), recorder.Finish());
    }

    /// <summary>Checks a pattern for <see cref="InvalidatePatternAsync"/>; throws <see cref="LearnerInputException"/> with the reason.</summary>
    public static void ValidatePattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new LearnerInputException("Enter a pattern, for example product:1* (it is matched under cache:).", nameof(pattern));
        }

        if (pattern.Length > MaxPatternLength)
        {
            throw new LearnerInputException($"A pattern must be at most {MaxPatternLength} characters.", nameof(pattern));
        }

        if (pattern.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new LearnerInputException("A pattern must not contain spaces or control characters.", nameof(pattern));
        }
    }
}
