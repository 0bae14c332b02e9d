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
}
