namespace BlazorRedis.Core.Hashes;

/// <summary>The memory of one field stored as its own string key.</summary>
public sealed record StringKeyMemory(string Field, string Key, long Bytes);
