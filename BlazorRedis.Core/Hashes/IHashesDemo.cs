using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Hashes;

/// <summary>The hashes demo: a user profile in one key, field by field, and what that saves in memory.</summary>
public interface IHashesDemo : IDataStructureDemo
{
    /// <summary>The most fields one HSET may set.</summary>
    const int MaxFieldsPerSet = 20;

    /// <summary>The most fields the profile may hold (so the memory comparison stays small).</summary>
    const int MaxFields = 50;

    /// <summary>The largest increment (HINCRBY) the demo takes, in either direction.</summary>
    const int MaxIncrement = 1_000_000_000;

    /// <summary>HSET one or more fields of the profile.</summary>
    Task<Traced<HashState>> SetFieldsAsync(LearnerId learner, IReadOnlyList<KeyValuePair<string, string>> fields);

    /// <summary>HGETALL the profile.</summary>
    Task<Traced<HashState>> ReadProfileAsync(LearnerId learner);

    /// <summary>HINCRBY a numeric field (e.g. followers) by <paramref name="by"/>.</summary>
    Task<Traced<HashState>> IncrementAsync(LearnerId learner, string field, long by);

    /// <summary>HDEL one field.</summary>
    Task<Traced<HashState>> DeleteFieldAsync(LearnerId learner, string field);

    /// <summary>Copies the profile into one string key per field and measures both with MEMORY USAGE.</summary>
    Task<Traced<MemoryComparison>> CompareMemoryAsync(LearnerId learner);
}
