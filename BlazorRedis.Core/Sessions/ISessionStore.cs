using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Sessions;

/// <summary>
/// Server-side sessions in Redis: one hash per session (username, createdAt, lastSeen, absoluteExpiry) and one
/// set of session ids per user. Idle and absolute timeouts are enforced by the key's TTL and checked again on
/// every read. Every method returns the commands it ran.
/// </summary>
public interface ISessionStore
{
    /// <summary>The idle and absolute timeouts in effect.</summary>
    SessionTimeouts Timeouts { get; }

    /// <summary>
    /// Creates a session for <paramref name="username"/> with a fresh id. When <paramref name="replacingId"/> names a
    /// session, it is deleted in the same atomic step (login rotates the id: the old one stops working at once). When
    /// <paramref name="maxSessions"/> is above 0, the user may hold at most that many sessions (the one rotated away does
    /// not count): the count and the write are one atomic step, so concurrent logins never pass it.
    /// </summary>
    /// <exception cref="ArgumentException">The username is empty, too long or holds control characters.</exception>
    /// <exception cref="SessionLimitException">The user already holds <paramref name="maxSessions"/> sessions; nothing was written.</exception>
    Task<Traced<SessionInfo>> CreateAsync(string username, string? replacingId = null, int maxSessions = 0);

    /// <summary>Reads a session without extending it; null when missing, malformed or expired.</summary>
    Task<Traced<SessionInfo?>> ReadAsync(string? id);

    /// <summary>Reads a session and slides its idle timeout (what every request does); null when missing, malformed or expired.</summary>
    Task<Traced<SessionInfo?>> TouchAsync(string? id);

    /// <summary>Deletes a session (logout); true when it existed.</summary>
    Task<Traced<bool>> DeleteAsync(string? id);

    /// <summary>Deletes every session of a user ("log out everywhere"); returns how many there were.</summary>
    Task<Traced<long>> DeleteAllForUserAsync(string username);

    /// <summary>The user's live sessions, oldest first; expired ids are cleaned out of the user's set on the way.</summary>
    Task<Traced<IReadOnlyList<SessionInfo>>> ListForUserAsync(string username);

    /// <summary>The Redis key of a session's hash.</summary>
    string SessionKey(string id);

    /// <summary>The Redis key of a user's set of session ids.</summary>
    string UserIndexKey(string username);
}
