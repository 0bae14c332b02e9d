using System.Security.Cryptography;
using System.Text;

namespace BlazorRedis.Core.Sessions;

/// <summary>A Lua script with the SHA-1 Redis knows it by (what EVALSHA sends).</summary>
public sealed record SessionScript(string Name, string Text)
{
    /// <summary>The script's SHA-1 in lowercase hex, as SCRIPT LOAD returns it.</summary>
    // SHA-1 is how Redis names cached scripts (EVALSHA), not a security measure.
#pragma warning disable CA5350
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Text)));
#pragma warning restore CA5350
}

/// <summary>
/// The session store's Lua scripts. Each runs atomically on the server, reads the clock with <c>TIME</c> (so
/// every app instance agrees on "now"), and names every key it touches in <c>KEYS</c>; all session keys share
/// the <c>{sessions}</c> hash tag, so a script may use several of them even on Redis Cluster.
/// Times are Unix milliseconds.
/// </summary>
public static class SessionScripts
{
    internal const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    // Returns true when the hash h (flat HGETALL reply) is still a live session at `now` for `idle` ms.
    internal const string IsLive = """
        local function is_live(h, now, idle)
          if #h == 0 then return false end
          local f = {}
          for i = 1, #h, 2 do f[h[i]] = h[i + 1] end
          local absolute = tonumber(f['absoluteExpiry'])
          local last = tonumber(f['lastSeen'])
          return absolute ~= nil and last ~= nil and absolute > now and now - last < idle
        end
        """;

    /// <summary>
    /// Creates a session (and, on rotation, deletes the old one in the same step). When ARGV[5] is above 0 it is the
    /// most sessions the user may hold: counted (SCARD of the user's set, less the session being rotated away) in the same
    /// script that writes, so two logins at once cannot both take the last slot; past it nothing is written.
    /// KEYS: session, user index [, old session, old user index]. ARGV: id, username, idle ms, absolute ms, max (0: none) [, old id].
    /// Returns { now, ttl ms, 1 when the old session was deleted (0: it had already ended) }, or { -1, sessions held } when refused.
    /// </summary>
    public static SessionScript Create { get; } = new("create", Now + """

        local idle = tonumber(ARGV[3])
        local absolute = tonumber(ARGV[4])
        local max = tonumber(ARGV[5])
        if max > 0 then
          local held = redis.call('SCARD', KEYS[2])
          if #KEYS == 4 and redis.call('SISMEMBER', KEYS[2], ARGV[6]) == 1 then held = held - 1 end
          if held >= max then return { -1, held } end
        end
        local rotated = 0
        if #KEYS == 4 then
          rotated = redis.call('DEL', KEYS[3])
          redis.call('SREM', KEYS[4], ARGV[6])
        end
        redis.call('HSET', KEYS[1], 'username', ARGV[2], 'createdAt', string.format('%d', now),
          'lastSeen', string.format('%d', now), 'absoluteExpiry', string.format('%d', now + absolute))
        local ttl = math.min(idle, absolute)
        redis.call('PEXPIRE', KEYS[1], ttl)
        redis.call('SADD', KEYS[2], ARGV[1])
        if redis.call('PTTL', KEYS[2]) < absolute then
          redis.call('PEXPIRE', KEYS[2], absolute)
        end
        return { now, ttl, rotated }
        """);

    /// <summary>
    /// Reads a session and, when ARGV[2] is 1, slides its idle timeout: TTL = min(idle, time left to the absolute
    /// deadline). An expired session is deleted and nil returned. KEYS: session. ARGV: idle ms, touch (1/0).
    /// Returns { now, pttl, HGETALL } or nil.
    /// </summary>
    public static SessionScript Touch { get; } = new("touch", Now + "\n" + IsLive + """

        local idle = tonumber(ARGV[1])
        local h = redis.call('HGETALL', KEYS[1])
        if not is_live(h, now, idle) then
          if #h > 0 then redis.call('DEL', KEYS[1]) end
          return false
        end
        if ARGV[2] == '1' then
          local absolute = 0
          for i = 1, #h, 2 do if h[i] == 'absoluteExpiry' then absolute = tonumber(h[i + 1]) end end
          redis.call('HSET', KEYS[1], 'lastSeen', string.format('%d', now))
          redis.call('PEXPIRE', KEYS[1], math.min(idle, absolute - now))
          h = redis.call('HGETALL', KEYS[1])
        end
        return { now, redis.call('PTTL', KEYS[1]), h }
        """);

    /// <summary>Deletes one session and its index entry. KEYS: session, user index. ARGV: id. Returns 1 when it existed.</summary>
    public static SessionScript Delete { get; } = new("delete", """
        local n = redis.call('DEL', KEYS[1])
        redis.call('SREM', KEYS[2], ARGV[1])
        return n
        """);

    /// <summary>
    /// Deletes the listed sessions of a user and removes them from the index (a session created meanwhile stays).
    /// KEYS: user index, sessions… ARGV: ids… Returns how many sessions existed.
    /// </summary>
    public static SessionScript DeleteMany { get; } = new("delete-many", """
        local n = 0
        for i = 2, #KEYS do
          n = n + redis.call('DEL', KEYS[i])
          redis.call('SREM', KEYS[1], ARGV[i - 1])
        end
        if redis.call('SCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1]) end
        return n
        """);

    /// <summary>
    /// Reads the listed sessions of a user, deleting expired ones and cleaning them out of the index.
    /// KEYS: user index, sessions… ARGV: idle ms, ids… Returns { now, id, pttl, HGETALL, id, pttl, HGETALL, … }.
    /// </summary>
    public static SessionScript List { get; } = new("list", Now + "\n" + IsLive + """

        local idle = tonumber(ARGV[1])
        local out = { now }
        for i = 2, #KEYS do
          local id = ARGV[i]
          local h = redis.call('HGETALL', KEYS[i])
          if is_live(h, now, idle) then
            table.insert(out, id)
            table.insert(out, redis.call('PTTL', KEYS[i]))
            table.insert(out, h)
          else
            if #h > 0 then redis.call('DEL', KEYS[i]) end
            redis.call('SREM', KEYS[1], id)
          end
        end
        if redis.call('SCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1]) end
        return out
        """);
}
