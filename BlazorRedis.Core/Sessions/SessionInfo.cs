namespace BlazorRedis.Core.Sessions;

/// <summary>One live session as Redis holds it.</summary>
/// <param name="Id">The session id (a bearer token: never show it to anyone but its owner).</param>
/// <param name="Key">The Redis key of the session's hash.</param>
/// <param name="Username">Who the session belongs to.</param>
/// <param name="CreatedAt">When the session was created (Redis server time).</param>
/// <param name="LastSeenAt">The last request that touched it.</param>
/// <param name="AbsoluteExpiresAt">The deadline no activity can move.</param>
/// <param name="TimeToLive">The key's TTL when it was read (PTTL).</param>
/// <param name="ServerTime">Redis server time when it was read.</param>
/// <param name="Fields">The hash exactly as stored (field, value).</param>
public sealed record SessionInfo(
    string Id,
    string Key,
    string Username,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset AbsoluteExpiresAt,
    TimeSpan TimeToLive,
    DateTimeOffset ServerTime,
    IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>When the key vanishes unless a request touches it first: min(last seen + idle timeout, absolute deadline).</summary>
    public DateTimeOffset ExpiresAt => ServerTime + TimeToLive;

    /// <summary>True when the absolute deadline, not the idle timeout, decides when this session ends next.</summary>
    public bool EndsAtAbsoluteDeadline => ExpiresAt >= AbsoluteExpiresAt - TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// For a new login: the id it rotated away, deleted in the same script. Null when nothing was replaced, the old
    /// session having ended already (logged out elsewhere, expired) or none being named.
    /// </summary>
    public string? RotatedFrom { get; init; }
}

/// <summary>The timeouts in effect.</summary>
/// <param name="Idle">Sliding: the session ends after this long without a request.</param>
/// <param name="Absolute">Fixed: the session ends this long after login.</param>
public sealed record SessionTimeouts(TimeSpan Idle, TimeSpan Absolute);
