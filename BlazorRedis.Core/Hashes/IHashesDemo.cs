using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Hashes;

/// <summary>The profile hash as HGETALL returned it.</summary>
/// <param name="Key">The hash's key.</param>
/// <param name="Fields">Its fields and values, in the order Redis returned them.</param>
public sealed record HashState(string Key, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>The memory of one field stored as its own string key.</summary>
public sealed record StringKeyMemory(string Field, string Key, long Bytes);

/// <summary>MEMORY USAGE of the profile as one hash versus one string key per field.</summary>
/// <param name="HashKey">The hash's key.</param>
/// <param name="HashBytes">MEMORY USAGE of the hash.</param>
/// <param name="HashEncoding">OBJECT ENCODING of the hash (small hashes use the compact listpack).</param>
/// <param name="Strings">MEMORY USAGE of each string key.</param>
public sealed record MemoryComparison(string HashKey, long HashBytes, string HashEncoding, IReadOnlyList<StringKeyMemory> Strings)
{
    /// <summary>The strings' total.</summary>
    public long StringBytes => Strings.Sum(s => s.Bytes);
}

/// <summary>The hashes demo: a user profile in one key, field by field, and what that saves in memory.</summary>
public interface IHashesDemo : IDataStructureDemo
{
    /// <summary>The most fields one HSET may set.</summary>
    const int MaxFieldsPerSet = 20;

    /// <summary>The most fields the profile may hold (so the memory comparison stays small).</summary>
    const int MaxFields = 50;

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
