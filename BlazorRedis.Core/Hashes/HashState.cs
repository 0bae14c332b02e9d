namespace BlazorRedis.Core.Hashes;

/// <summary>The profile hash as HGETALL returned it.</summary>
/// <param name="Key">The hash's key.</param>
/// <param name="Fields">Its fields and values, in the order Redis returned them.</param>
public sealed record HashState(string Key, IReadOnlyList<KeyValuePair<string, string>> Fields);
