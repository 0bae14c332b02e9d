using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Strings;

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
