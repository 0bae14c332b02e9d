using System.Security.Cryptography;
using System.Text;

namespace BlazorRedis.Core.Classroom;

/// <summary>A class's Lua script with the SHA-1 Redis knows it by (what EVALSHA sends).</summary>
public sealed record ClassScript(string Name, string Text)
{
    /// <summary>The script's SHA-1 in lowercase hex, as SCRIPT LOAD returns it.</summary>
    // SHA-1 is how Redis names cached scripts (EVALSHA), not a security measure.
#pragma warning disable CA5350
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Text)));
#pragma warning restore CA5350
}

/// <summary>
/// The class's Lua scripts. Every key of one class shares the class's hash tag (<c>{class:CODE}</c>), so a script may
/// use them together even on Redis Cluster. Each check-then-write is one script, so two learners who join with the
/// same nickname at the same moment cannot both win.
/// </summary>
public static class ClassScripts
{
    /// <summary>KEYS: meta. ARGV: code, openedAt (ms), ttl (s). 1 when opened, 0 when the code is taken by an open class.</summary>
    public static readonly ClassScript Open = new("class-open", """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'code', ARGV[1], 'openedAt', ARGV[2], 'paused', '0')
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        return 1
        """);

    /// <summary>
    /// KEYS: meta, roster (id→nickname), joined (id→ms), folds (id→folded nickname), names (folded nickname→id).
    /// ARGV: id, nickname, folded, now (ms), ttl (s), max learners, must already be a member ('1' for a teacher's rename).
    /// Returns -1 no such class, -2 nickname taken, -3 not a member, -4 class full, 1 joined, 2 renamed, 3 unchanged.
    /// </summary>
    public static readonly ClassScript SetNickname = new("class-set-nickname", """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local owner = redis.call('HGET', KEYS[5], ARGV[3])
        if owner and owner ~= ARGV[1] then return -2 end
        local oldfold = redis.call('HGET', KEYS[4], ARGV[1])
        if ARGV[7] == '1' and not oldfold then return -3 end
        if not oldfold and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[6]) then return -4 end
        if oldfold and oldfold ~= ARGV[3] then redis.call('HDEL', KEYS[5], oldfold) end
        local old = redis.call('HGET', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
        redis.call('HSET', KEYS[5], ARGV[3], ARGV[1])
        if not oldfold then redis.call('HSET', KEYS[3], ARGV[1], ARGV[4]) end
        for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
        if not oldfold then return 1 end
        if old == ARGV[2] then return 3 end
        return 2
        """);

    /// <summary>
    /// KEYS: roster, joined, folds, names, pages, actions, presence, leaderboard, muted. ARGV: id.
    /// Returns the removed nickname, or nil when the learner was not in the class.
    /// </summary>
    public static readonly ClassScript Remove = new("class-remove", """
        local nickname = redis.call('HGET', KEYS[1], ARGV[1])
        if not nickname then return nil end
        local fold = redis.call('HGET', KEYS[3], ARGV[1])
        if fold then redis.call('HDEL', KEYS[4], fold) end
        for i = 1, 3 do redis.call('HDEL', KEYS[i], ARGV[1]) end
        redis.call('HDEL', KEYS[5], ARGV[1])
        redis.call('HDEL', KEYS[6], ARGV[1])
        redis.call('DEL', KEYS[7])
        redis.call('ZREM', KEYS[8], ARGV[1])
        redis.call('SREM', KEYS[9], ARGV[1])
        return nickname
        """);

    /// <summary>
    /// KEYS: roster, presence, then the class's keys of fixed name, meta first (<see cref="ClassService.FixedKeyNames"/>).
    /// ARGV: id, now (ms), presence ttl (s), class ttl (s), refresh below (s). One write per heartbeat, and when meta's TTL
    /// has fallen below the last argument (at most once per <see cref="ClassService.KeepAliveEverySeconds"/>), an EXPIRE of
    /// each class key: the class lives while it is in use. Returns -1 when the learner is not in the class (removed, or the
    /// class closed), otherwise 1 when they came online (else 0), plus 2 when the class's keys were refreshed.
    /// </summary>
    public static readonly ClassScript Heartbeat = new("class-heartbeat", """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
        local result = 0
        if not redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3], 'GET') then result = 1 end
        local left = redis.call('TTL', KEYS[3])
        if left == -2 or left >= tonumber(ARGV[5]) then return result end
        for i = 3, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
        return result + 2
        """);

    /// <summary>
    /// KEYS: the class's keys of fixed name, meta first. ARGV: class ttl (s), refresh below (s; above the ttl to refresh
    /// whatever meta's TTL). EXPIREs every key when meta's TTL has fallen below the second argument.
    /// Returns -1 no such class, 1 refreshed, 0 fresh enough.
    /// </summary>
    public static readonly ClassScript KeepAlive = new("class-keep-alive", """
        local left = redis.call('TTL', KEYS[1])
        if left == -2 then return -1 end
        if left >= tonumber(ARGV[2]) then return 0 end
        for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[1]) end
        return 1
        """);

    /// <summary>KEYS: any keys of one class (its polls' and rounds' keys). ARGV: ttl (s). EXPIREs each; returns how many exist.</summary>
    public static readonly ClassScript ExpireAll = new("class-expire-all", """
        local n = 0
        for i = 1, #KEYS do n = n + redis.call('EXPIRE', KEYS[i], ARGV[1]) end
        return n
        """);

    /// <summary>
    /// KEYS: a key outside the class's slot (<c>classroom:current</c> or a learner's <c>classroom:member:ID</c>).
    /// ARGV: code, ttl (s). EXPIREs the key only while it still names this class. Returns 1 refreshed, 0 not this class.
    /// </summary>
    public static readonly ClassScript ExpireIfClass = new("class-expire-if-class", """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        return redis.call('EXPIRE', KEYS[1], ARGV[2])
        """);

    /// <summary>
    /// KEYS: current. ARGV: the new class's code, ttl (s), the code of a class found gone ('' when none). Points current at
    /// the new class unless another open class has it: two teachers' devices opening at once get one class.
    /// Returns nil when claimed, otherwise the code current names.
    /// </summary>
    public static readonly ClassScript ClaimCurrent = new("class-claim-current", """
        local current = redis.call('GET', KEYS[1])
        if current and current ~= ARGV[3] then return current end
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        return false
        """);

    /// <summary>KEYS: roster, a per-learner hash (pages or actions). ARGV: id, value, ttl (s). 1 when written, 0 when not a member.</summary>
    public static readonly ClassScript SetMemberField = new("class-set-member-field", """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('EXPIRE', KEYS[2], ARGV[3])
        return 1
        """);

    /// <summary>
    /// KEYS: roster, actions, leaderboard. ARGV: id, value, ttl (s), points. The last action and the learner's score in one
    /// step, and only for a member: a removed learner's late action neither shows nor scores.
    /// Returns the learner's new score, or -1 when not a member.
    /// </summary>
    public static readonly ClassScript ReportAction = new("class-report-action", """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('EXPIRE', KEYS[2], ARGV[3])
        local score = redis.call('ZINCRBY', KEYS[3], ARGV[4], ARGV[1])
        redis.call('EXPIRE', KEYS[3], ARGV[3])
        return tonumber(score)
        """);
}
