namespace BlazorRedis.Core.Strings;

/// <summary>A string key of the learner's own, as the picture shows it.</summary>
/// <param name="Name">The learner's name for it (the last key segment).</param>
/// <param name="Key">The full Redis key.</param>
/// <param name="Value">The value, or null when the key does not exist.</param>
/// <param name="Length">STRLEN in bytes (0 when missing).</param>
/// <param name="TtlMilliseconds">Milliseconds left, or null without expiry / when missing.</param>
public sealed record StringEntry(string Name, string Key, string? Value, long Length, long? TtlMilliseconds);
