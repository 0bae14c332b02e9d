using System.Text;

namespace BlazorRedis.Core.Hashes;

/// <summary>MEMORY USAGE of the profile as one hash versus one string key per field.</summary>
/// <param name="HashKey">The hash's key.</param>
/// <param name="HashBytes">MEMORY USAGE of the hash.</param>
/// <param name="HashEncoding">OBJECT ENCODING of the hash (small hashes use the compact listpack).</param>
/// <param name="Strings">MEMORY USAGE of each string key.</param>
public sealed record MemoryComparison(string HashKey, long HashBytes, string HashEncoding, IReadOnlyList<StringKeyMemory> Strings)
{
    /// <summary>The strings' total.</summary>
    public long StringBytes => Strings.Sum(s => s.Bytes);

    /// <summary>
    /// Bytes of the hash's key name. MEMORY USAGE counts a key's name, and every demo key starts with the learner's
    /// long prefix, so the page says how much of each figure is names.
    /// </summary>
    public long HashKeyNameBytes => Encoding.UTF8.GetByteCount(HashKey);

    /// <summary>Bytes of the string keys' names together: each string key stores its own (prefixed) name.</summary>
    public long StringKeyNameBytes => Strings.Sum(s => (long)Encoding.UTF8.GetByteCount(s.Key));
}
