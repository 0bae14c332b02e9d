using System.Globalization;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Sessions;

/// <summary>
/// The Redis session store. Keys: <c>{prefix}{sessions}:session:{id}</c> (a hash) and
/// <c>{prefix}{sessions}:user:{username}</c> (a set of ids); a store with an area puts both under
/// <c>{prefix}{sessions}:{area}:</c>, so it never reads, touches or ends another area's sessions, nor lists its users. Every change that touches both runs as one Lua
/// script, so no reader ever sees a session without its index entry or the other way round. All session keys
/// share one hash tag: on a cluster one shard holds every session, the price of those atomic multi-key steps.
/// </summary>
public sealed class RedisSessionStore : ISessionStore
{
    /// <summary>The hash tag every session key carries.</summary>
    public const string HashTag = "sessions";

    /// <summary>
    /// The area of the Sessions page's demo sessions (<c>{sessions}:demo:</c>), apart from the HTTP API's: an id the
    /// page shows (and a projected screen reveals) is never a cookie <c>/api/session</c> accepts, and a username sent to
    /// the API never adds sessions to a demo user's list. Also the DI key of the page's <see cref="ISessionStore"/>.
    /// </summary>
    public const string DemoArea = "demo";

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisKeyspace _keys;
    private readonly RedisTracer _tracer;
    private readonly RedisCommandBudget _budget;
    private readonly long _idleMs;
    private readonly long _absoluteMs;
    private readonly string[] _area;

    /// <summary>
    /// A store of the HTTP API's sessions (no area), or, with <paramref name="area"/> (lowercase ASCII letters such as
    /// <see cref="DemoArea"/>), of that area's sessions only.
    /// </summary>
    public RedisSessionStore(IConnectionMultiplexer mux, RedisKeyspace keys, RedisTracer tracer, IOptions<SessionOptions> options, RedisCommandBudget? budget = null, string? area = null)
    {
        if (area is not null && (area.Length == 0 || !area.All(char.IsAsciiLetterLower)))
        {
            throw new ArgumentException("A session area is lowercase ASCII letters.", nameof(area));
        }

        _area = area is null ? [] : [area];
        ArgumentNullException.ThrowIfNull(options);
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _tracer = tracer ?? throw new ArgumentNullException(nameof(tracer));
        _budget = budget ?? new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(RedisCommandBudget.DefaultMilliseconds));
        Timeouts = new SessionTimeouts(options.Value.IdleTimeout, options.Value.AbsoluteTimeout);
        _idleMs = (long)Timeouts.Idle.TotalMilliseconds;
        _absoluteMs = (long)Timeouts.Absolute.TotalMilliseconds;
    }

    /// <inheritdoc/>
    public SessionTimeouts Timeouts { get; }

    /// <inheritdoc/>
    public string SessionKey(string id) => _keys.Tagged(HashTag, [.. _area, "session", id]).ToString();

    /// <inheritdoc/>
    public string UserIndexKey(string username) => _keys.Tagged(HashTag, [.. _area, "user", SessionUsername.ToKeySegment(username)]).ToString();

    /// <inheritdoc/>
    public async Task<Traced<SessionInfo>> CreateAsync(string username, string? replacingId = null, int maxSessions = 0)
    {
        SessionUsername.Validate(username);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSessions);
        var recorder = _tracer.Start(replacingId is null ? "Log in" : "Log in again (rotate the id)");
        var id = SessionId.New();
        var key = SessionKey(id);
        var index = UserIndexKey(username);
        List<RedisKey> keys = [key, index];
        List<RedisValue> args = [id, username, _idleMs, _absoluteMs, maxSessions];

        if (SessionId.IsWellFormed(replacingId))
        {
            // The old session's owner names the set its id must leave; ids are never reused, so it cannot change meanwhile.
            var oldKey = SessionKey(replacingId);
            var owner = await recorder.RunAsync(
                RedisCommandText.Format("HGET", oldKey, "username"),
                $"await db.HashGetAsync({RedisCommandText.CSharpString(oldKey)}, \"username\");",
                () => _budget.RunAsync(() => Db.HashGetAsync(oldKey, "username")),
                RedisCommandText.Reply).ConfigureAwait(false);
            if (!owner.IsNull)
            {
                keys.AddRange([oldKey, UserIndexKey(owner!)]);
                args.Add(replacingId);
            }
        }

        var reply = await EvalAsync(recorder, SessionScripts.Create, keys, args, r => (long)((RedisResult[])r!)[0] < 0
            ? string.Create(CultureInfo.InvariantCulture, $"refused: {(long)((RedisResult[])r!)[1]} sessions held, nothing written")
            : string.Create(CultureInfo.InvariantCulture, $"created, TTL {(long)((RedisResult[])r!)[1]} ms")).ConfigureAwait(false);
        var parts = (RedisResult[])reply!;
        if ((long)parts[0] < 0)
        {
            throw new SessionLimitException((long)parts[1], maxSessions, recorder.Finish());
        }

        var now = FromMs((long)parts[0]);
        var ttl = TimeSpan.FromMilliseconds((long)parts[1]);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("username", username),
            new("createdAt", Ms(now)),
            new("lastSeen", Ms(now)),
            new("absoluteExpiry", Ms(now + Timeouts.Absolute)),
        };
        var info = new SessionInfo(id, key, username, now, now, now + Timeouts.Absolute, ttl, now, fields)
        {
            // The script's DEL says whether the old session still existed: a login after it ended rotates nothing.
            RotatedFrom = (long)parts[2] == 1 ? replacingId : null,
        };
        return new Traced<SessionInfo>(info, recorder.Finish());
    }

    /// <inheritdoc/>
    public Task<Traced<SessionInfo?>> ReadAsync(string? id) => ReadOrTouchAsync(id, touch: false);

    /// <inheritdoc/>
    public Task<Traced<SessionInfo?>> TouchAsync(string? id) => ReadOrTouchAsync(id, touch: true);

    /// <inheritdoc/>
    public async Task<Traced<bool>> DeleteAsync(string? id)
    {
        var recorder = _tracer.Start("Log out");
        if (!SessionId.IsWellFormed(id))
        {
            return new Traced<bool>(false, recorder.Finish());
        }

        var key = SessionKey(id);
        var owner = await recorder.RunAsync(
            RedisCommandText.Format("HGET", key, "username"),
            $"await db.HashGetAsync({RedisCommandText.CSharpString(key)}, \"username\");",
            () => _budget.RunAsync(() => Db.HashGetAsync(key, "username")),
            RedisCommandText.Reply).ConfigureAwait(false);
        if (owner.IsNull)
        {
            return new Traced<bool>(false, recorder.Finish());
        }

        var reply = await EvalAsync(recorder, SessionScripts.Delete, [key, UserIndexKey(owner!)], [id], r => RedisCommandText.IntegerReply((long)r)).ConfigureAwait(false);
        return new Traced<bool>((long)reply == 1, recorder.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> DeleteAllForUserAsync(string username)
    {
        SessionUsername.Validate(username);
        var recorder = _tracer.Start("Log out everywhere");
        var ids = await MembersAsync(recorder, username).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return new Traced<long>(0, recorder.Finish());
        }

        List<RedisKey> keys = [UserIndexKey(username), .. ids.Select(i => (RedisKey)SessionKey(i))];
        var reply = await EvalAsync(recorder, SessionScripts.DeleteMany, keys, [.. ids.Select(i => (RedisValue)i)], r => RedisCommandText.IntegerReply((long)r)).ConfigureAwait(false);
        return new Traced<long>((long)reply, recorder.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<SessionInfo>>> ListForUserAsync(string username)
    {
        SessionUsername.Validate(username);
        var recorder = _tracer.Start("List my sessions");
        var ids = await MembersAsync(recorder, username).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return new Traced<IReadOnlyList<SessionInfo>>([], recorder.Finish());
        }

        List<RedisKey> keys = [UserIndexKey(username), .. ids.Select(i => (RedisKey)SessionKey(i))];
        List<RedisValue> args = [_idleMs, .. ids.Select(i => (RedisValue)i)];
        var reply = await EvalAsync(recorder, SessionScripts.List, keys, args, r => string.Create(CultureInfo.InvariantCulture, $"{((RedisResult[])r!).Length / 3} live; expired ids removed")).ConfigureAwait(false);
        var parts = (RedisResult[])reply!;
        var now = FromMs((long)parts[0]);
        var sessions = new List<SessionInfo>();
        for (var i = 1; i + 2 < parts.Length; i += 3)
        {
            var id = (string)parts[i]!;
            sessions.Add(ToInfo(id, now, (long)parts[i + 1], (RedisResult[])parts[i + 2]!));
        }

        return new Traced<IReadOnlyList<SessionInfo>>([.. sessions.OrderBy(s => s.CreatedAt)], recorder.Finish());
    }

    private IDatabase Db => _mux.GetDatabase();

    private async Task<Traced<SessionInfo?>> ReadOrTouchAsync(string? id, bool touch)
    {
        var recorder = _tracer.Start(touch ? "Make a request (touch the session)" : "Read the session");
        if (!SessionId.IsWellFormed(id))
        {
            return new Traced<SessionInfo?>(null, recorder.Finish());
        }

        var key = SessionKey(id);
        var reply = await EvalAsync(recorder, SessionScripts.Touch, [key], [_idleMs, touch ? 1 : 0],
            r => r.IsNull ? "(nil) no live session" : string.Create(CultureInfo.InvariantCulture, $"live, TTL {(long)((RedisResult[])r!)[1]} ms")).ConfigureAwait(false);
        if (reply.IsNull)
        {
            return new Traced<SessionInfo?>(null, recorder.Finish());
        }

        var parts = (RedisResult[])reply!;
        var info = ToInfo(id, FromMs((long)parts[0]), (long)parts[1], (RedisResult[])parts[2]!);
        return new Traced<SessionInfo?>(info, recorder.Finish());
    }

    private async Task<List<string>> MembersAsync(TraceRecorder recorder, string username)
    {
        var index = UserIndexKey(username);
        var members = await recorder.RunAsync(
            RedisCommandText.Format("SMEMBERS", index),
            $"await db.SetMembersAsync({RedisCommandText.CSharpString(index)});",
            () => _budget.RunAsync(() => Db.SetMembersAsync(index)),
            m => RedisCommandText.List(m.Select(v => SessionId.Fingerprint(v.ToString())))).ConfigureAwait(false);

        // Only ids this store could have written become key names.
        return [.. members.Select(m => m.ToString()).Where(SessionId.IsWellFormed)];
    }

    private Task<RedisResult> EvalAsync(TraceRecorder recorder, SessionScript script, IReadOnlyList<RedisKey> keys, IReadOnlyList<RedisValue> args, Func<RedisResult, string> describe)
    {
        var keyArray = keys.ToArray();
        var argArray = args.ToArray();
        List<object?> shown = [script.Sha1, keyArray.Length, .. keyArray.Cast<object?>(), .. argArray.Cast<object?>()];
        return recorder.RunAsync(
            RedisCommandText.Format("EVALSHA", shown),
            $"await db.ScriptEvaluateAsync(File.ReadAllText(\"{script.Name}.lua\"), keys: [{string.Join(", ", keyArray.Select(k => RedisCommandText.CSharpString(k)))}], values: [{string.Join(", ", argArray.Select(Literal))}]); // Lua \"{script.Name}\": sent as EVAL once, then as EVALSHA",
            () => _budget.RunAsync(() => Db.ScriptEvaluateAsync(script.Text, keyArray, argArray)),
            describe);
    }

    private SessionInfo ToInfo(string id, DateTimeOffset now, long pttl, RedisResult[] hash)
    {
        var fields = new List<KeyValuePair<string, string>>(hash.Length / 2);
        for (var i = 0; i + 1 < hash.Length; i += 2)
        {
            fields.Add(new((string)hash[i]!, (string)hash[i + 1]!));
        }

        string Field(string name) => fields.FirstOrDefault(f => f.Key == name).Value ?? "0";
        return new SessionInfo(
            id,
            SessionKey(id),
            Field("username"),
            FromMs(long.Parse(Field("createdAt"), CultureInfo.InvariantCulture)),
            FromMs(long.Parse(Field("lastSeen"), CultureInfo.InvariantCulture)),
            FromMs(long.Parse(Field("absoluteExpiry"), CultureInfo.InvariantCulture)),
            TimeSpan.FromMilliseconds(Math.Max(0, pttl)),
            now,
            fields);
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static string Literal(RedisValue v) => v.IsInteger ? v.ToString() : RedisCommandText.CSharpString(v.ToString());

}
