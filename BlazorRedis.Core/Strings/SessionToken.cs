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
