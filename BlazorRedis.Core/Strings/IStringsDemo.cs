using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Strings;

/// <summary>A session token in Redis: its key, the value it maps to, and how long it has left.</summary>
/// <param name="Token">The random token (the part of the key a browser would carry).</param>
/// <param name="Key">The full Redis key.</param>
/// <param name="Value">What the token maps to, or null once Redis has expired it.</param>
/// <param name="TtlMilliseconds">PTTL: milliseconds left, or null when the key is gone.</param>
public sealed record SessionToken(string Token, string Key, string? Value, long? TtlMilliseconds)
{
    /// <summary>True while GET still returns the value.</summary>
    public bool Alive => Value is not null;
}

/// <summary>A string key of the learner's own, as the picture shows it.</summary>
/// <param name="Name">The learner's name for it (the last key segment).</param>
/// <param name="Key">The full Redis key.</param>
/// <param name="Value">The value, or null when the key does not exist.</param>
/// <param name="Length">STRLEN in bytes (0 when missing).</param>
/// <param name="TtlMilliseconds">Milliseconds left, or null without expiry / when missing.</param>
public sealed record StringEntry(string Name, string Key, string? Value, long Length, long? TtlMilliseconds);

/// <summary>The result of firing many INCRs at once.</summary>
/// <param name="Before">The counter before.</param>
/// <param name="After">The counter after all replies arrived.</param>
/// <param name="Fired">How many INCRs were sent concurrently.</param>
/// <param name="DistinctReplies">How many different values the INCRs returned (= <paramref name="Fired"/> when none was lost).</param>
public sealed record ConcurrentIncrements(long Before, long After, int Fired, int DistinctReplies)
{
    /// <summary>After − Before: equals <see cref="Fired"/> because INCR is atomic.</summary>
    public long Gained => After - Before;
}

/// <summary>The strings demo: session tokens that expire, an atomic view counter, and plain GET/SET/MSET/APPEND/STRLEN.</summary>
public interface IStringsDemo : IDataStructureDemo
{
    /// <summary>The most INCRs one click may fire.</summary>
    const int MaxConcurrentIncrements = 10_000;

    /// <summary>The longest token lifetime the demo accepts.</summary>
    const int MaxTokenSeconds = 3600;

    /// <summary>SETEX a new random token for <paramref name="userId"/> that lives <paramref name="ttlSeconds"/> seconds.</summary>
    Task<Traced<SessionToken>> IssueTokenAsync(LearnerId learner, string userId, int ttlSeconds);

    /// <summary>GET and PTTL the token: its value, or (nil) once expired.</summary>
    Task<Traced<SessionToken>> ReadTokenAsync(LearnerId learner, string token);

    /// <summary>PTTL only: how long the token has left (-2 when gone), for a countdown that asks Redis each tick.</summary>
    Task<Traced<long>> TokenTtlAsync(LearnerId learner, string token);

    /// <summary>INCR the page-view counter once.</summary>
    Task<Traced<long>> IncrementViewsAsync(LearnerId learner);

    /// <summary>Fires <paramref name="count"/> INCRs at once on the shared connection and reads the counter before and after.</summary>
    Task<Traced<ConcurrentIncrements>> IncrementViewsConcurrentlyAsync(LearnerId learner, int count);

    /// <summary>SET a value (sent as SETEX: the demo keys expire after <paramref name="ttlSeconds"/>, or the learner key TTL).</summary>
    Task<Traced<StringEntry>> SetAsync(LearnerId learner, string name, string value, int? ttlSeconds = null);

    /// <summary>GET (and PTTL) a value.</summary>
    Task<Traced<StringEntry>> GetAsync(LearnerId learner, string name);

    /// <summary>MSET several values in one command, then give each key the learner TTL.</summary>
    Task<Traced<IReadOnlyList<StringEntry>>> SetManyAsync(LearnerId learner, IReadOnlyList<KeyValuePair<string, string>> values);

    /// <summary>APPEND to a value (creating it when missing) and read it back.</summary>
    Task<Traced<StringEntry>> AppendAsync(LearnerId learner, string name, string suffix);

    /// <summary>STRLEN: the value's length in bytes.</summary>
    Task<Traced<long>> LengthAsync(LearnerId learner, string name);
}
