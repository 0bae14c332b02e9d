using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// A class in Redis: the teacher opens it (a join code), learners join with a nickname, their browsers keep a presence
/// key alive and report their page and last action, and the teacher renames, removes or closes. Every key of one class
/// carries the hash tag <c>{class:CODE}</c>; every change is published on the class's one channel
/// (<see cref="Channel"/>) for <see cref="ClassEventHub"/> to fan out.
/// </summary>
public sealed class ClassService
{
    /// <summary>How many fresh codes opening a class tries before it gives up (a clash is one in millions).</summary>
    private const int OpenAttempts = 10;

    /// <summary>
    /// How often, at most, a class in use gives its keys the full lifetime again: a heartbeat or a teacher's action
    /// refreshes them once meta's TTL has fallen this far below <see cref="ClassOptions.ClassLifetime"/>, so a class
    /// expires between the lifetime less this and the lifetime after its last use, and a heartbeat is not a write on every
    /// class key.
    /// </summary>
    public const int KeepAliveEverySeconds = 300;

    /// <summary>
    /// The names of the class's keys that are not per learner, poll or round, meta first: they live and are refreshed
    /// together (<see cref="ClassKey"/>).
    /// </summary>
    public static IReadOnlyList<string> FixedKeyNames { get; } =
        ["meta", "roster", "joined", "folds", "names", "pages", "actions", "polls", "leaderboard", "chat", "muted", ClassStampede.ListName];

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisKeyspace _keyspace;
    private readonly RedisTracer _tracer;
    private readonly IRateLimitService _limiter;
    private readonly TimeProvider _time;
    private readonly RedisCommandBudget _budget;

    public ClassService(IConnectionMultiplexer mux, RedisKeyspace keyspace, RedisTracer tracer, IRateLimitService limiter, IOptions<ClassOptions> options, TimeProvider time, RedisCommandBudget? budget = null)
    {
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _keyspace = keyspace ?? throw new ArgumentNullException(nameof(keyspace));
        _tracer = tracer ?? throw new ArgumentNullException(nameof(tracer));
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        Options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _budget = budget ?? new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(RedisCommandBudget.DefaultMilliseconds));
    }

    /// <summary>The settings.</summary>
    public ClassOptions Options { get; }

    /// <summary>
    /// The database every command of the class goes to. While Redis is not connected it throws
    /// <see cref="RedisConnectionException"/> at once (<see cref="RedisCommandBudget.EnsureConnected"/>): a command sent
    /// now would wait in StackExchange.Redis's backlog for the client's own 5 s before failing.
    /// </summary>
    internal IDatabase Db
    {
        get
        {
            _budget.EnsureConnected();
            return _mux.GetDatabase();
        }
    }

    /// <summary>Runs a call that is not traced within the app's one command budget (<c>Redis:CommandTimeoutMs</c>).</summary>
    internal Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var db = Db;
        return _budget.RunAsync(() => call(db));
    }

    /// <summary>
    /// Runs a traced call within the app's one command budget (<c>Redis:CommandTimeoutMs</c>): a
    /// <see cref="RedisConnectionException"/> at once while Redis is not connected, a <see cref="TimeoutException"/> past
    /// the deadline while it is connected but slow, never the client's own 5 s. The trace shows the call's own source as
    /// its C#, as <see cref="TraceRecorder.RunAsync{T}(string, Func{Task{T}}, Func{T, string}, string)"/> does.
    /// </summary>
    internal Task<T> TracedAsync<T>(TraceRecorder recorder, string command, Func<Task<T>> call, Func<T, string> describe, [CallerArgumentExpression(nameof(call))] string csharp = "") =>
        TracedAsync(recorder, command, RedisCommandText.CSharpOfCall(csharp), call, describe);

    /// <summary>Like the other overload, with a hand-written snippet.</summary>
    internal Task<T> TracedAsync<T>(TraceRecorder recorder, string command, string csharp, Func<Task<T>> call, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(call);
        return recorder.RunAsync(command, csharp, () => _budget.RunAsync(call), describe);
    }

    internal long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal long TtlSeconds => (long)Options.ClassLifetime.TotalSeconds;

    /// <summary>The TTL of meta below which the class's keys are refreshed.</summary>
    private long RefreshBelowSeconds => TtlSeconds - KeepAliveEverySeconds;

    /// <summary>
    /// The hash tag of every class channel (events and chat). On a Redis Cluster PUBLISH reaches every node's subscribers
    /// but counts only those connected to the node it was sent to, and by default StackExchange.Redis sends a channel to
    /// any node: each instance's pattern subscription and each PUBLISH go instead to the node of this tag's slot
    /// (<see cref="RedisChannel.WithKeyRouting"/>), so the count the teacher reads is every app instance there too.
    /// </summary>
    public const string ChannelTag = "classroom";

    /// <summary>The one channel of a class's events.</summary>
    public RedisChannel Channel(string code) => RedisChannel.Literal(ChannelPrefix + code).WithKeyRouting();

    /// <summary>The pattern that matches every class's channel: an app instance subscribes to it once.</summary>
    public RedisChannel AllChannels => RedisChannel.Pattern(RedisKeyspace.PrefixPattern(ChannelPrefix)).WithKeyRouting();

    /// <summary>The channels' common prefix, <c>{prefix}{classroom}:events:</c>.</summary>
    public string ChannelPrefix => (string)_keyspace.Tagged(ChannelTag, "events")! + ":";

    /// <summary>The key of one class's hash of <paramref name="name"/> (meta, roster, joined, folds, names, pages, actions).</summary>
    public RedisKey ClassKey(string code, string name) => _keyspace.Tagged("class:" + code, name);

    private RedisKey[] FixedKeys(string code) => [.. FixedKeyNames.Select(name => ClassKey(code, name))];

    /// <summary>Each poll's hash and answers (<see cref="ClassPolls.PollKeyNames"/>), for the polls the class lists.</summary>
    private IEnumerable<RedisKey> PollKeys(string code, RedisValue[] polls) =>
        polls.SelectMany(p => ClassPolls.PollKeyNames(p!).Select(name => ClassKey(code, name)));

    private RedisKey Presence(string code, string learner) => _keyspace.Tagged("class:" + code, "presence", learner);

    private RedisKey CurrentKey => _keyspace.Key("classroom", "current");

    private RedisKey MemberKey(string learner) => _keyspace.Key("classroom", "member", learner);

    // A removed learner's membership key holds this and the class's code until it expires (never a valid code).
    private const string RemovedMark = "removed:";

    // ---- the teacher ----

    /// <summary>The open class, or null.</summary>
    public async Task<ClassInfo?> CurrentAsync()
    {
        var code = await RunAsync(db => db.StringGetAsync(CurrentKey)).ConfigureAwait(false);
        return code.IsNull ? null : await ReadInfoAsync(TraceRecorder.None, code!).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a class with a fresh code, unique among open classes; when one is open already, returns it. The new class's
    /// meta is written first, then one script points <c>classroom:current</c> at it unless another open class has it, so
    /// two opens at once (two devices, a double click) get one class: the loser deletes its meta and returns the winner.
    /// </summary>
    public async Task<Traced<ClassInfo>> OpenAsync()
    {
        var recorder = _tracer.Start("Open a class");
        var db = Db;
        var current = CurrentKey;
        for (var attempt = 0; attempt < OpenAttempts; attempt++)
        {
            var existing = await TracedAsync(recorder, RedisCommandText.Format("GET", current), () => db.StringGetAsync(current), RedisCommandText.Reply).ConfigureAwait(false);
            if (!existing.IsNull && await ReadInfoAsync(recorder, existing!).ConfigureAwait(false) is { } open)
            {
                return new(open, recorder.Finish());
            }

            var code = JoinCode.New();
            var now = Now;
            var meta = ClassKey(code, "meta");
            var created = (long)await EvalAsync(recorder, ClassScripts.Open, [meta], [code, now, TtlSeconds], RedisResultText).ConfigureAwait(false);
            if (created != 1)
            {
                continue;
            }

            // existing names a class found gone (its keys expired): the claim may replace it, and nothing else.
            var winner = await EvalAsync(recorder, ClassScripts.ClaimCurrent, [current], [code, TtlSeconds, existing.IsNull ? "" : existing], r => r.IsNull ? "(nil)" : $"\"{r}\"").ConfigureAwait(false);
            if (winner.IsNull)
            {
                return new(new ClassInfo(code, DateTimeOffset.FromUnixTimeMilliseconds(now), false), recorder.Finish());
            }

            // Another open won the race: this class was never current, so no learner can be in it.
            await TracedAsync(recorder, RedisCommandText.Format("UNLINK", meta), () => db.KeyDeleteAsync(meta), RedisCommandText.Flag).ConfigureAwait(false);
        }

        throw new InvalidOperationException("Could not open a class after " + OpenAttempts + " tries (join codes taken, or other opens racing).");
    }

    /// <summary>Closes the class: deletes its keys (one UNLINK: they share a slot) and tells every learner.</summary>
    public async Task<Traced<bool>> CloseAsync(string code)
    {
        RequireCode(code);
        var recorder = _tracer.Start("Close the class");
        var db = Db;
        var roster = ClassKey(code, "roster");
        var learners = await TracedAsync(recorder, RedisCommandText.Format("HKEYS", roster), () => db.HashKeysAsync(roster), r => Wording.Count(r.Length, "learner")).ConfigureAwait(false);
        var pollList = ClassKey(code, "polls");
        var polls = await TracedAsync(recorder, RedisCommandText.Format("LRANGE", pollList, 0, -1), () => db.ListRangeAsync(pollList), r => Wording.Count(r.Length, "poll")).ConfigureAwait(false);
        var roundList = ClassKey(code, ClassStampede.ListName);
        var rounds = await TracedAsync(recorder, RedisCommandText.Format("LRANGE", roundList, 0, -1), () => db.ListRangeAsync(roundList), r => Wording.Count(r.Length, "stampede round")).ConfigureAwait(false);
        RedisKey[] keys =
        [
            .. FixedKeys(code),
            .. learners.Select(l => Presence(code, (string)l!)),
            .. PollKeys(code, polls),
            .. rounds.SelectMany(r => ClassStampede.RoundKeyNames(r!).Select(name => ClassKey(code, name))),
        ];
        var deleted = await KeyScanner.UnlinkAsync(recorder, db, keys).ConfigureAwait(false);
        var current = CurrentKey;
        if (await RunAsync(d => d.StringGetAsync(current)).ConfigureAwait(false) == code)
        {
            await TracedAsync(recorder, RedisCommandText.Format("UNLINK", current), () => db.KeyDeleteAsync(current), RedisCommandText.Flag).ConfigureAwait(false);
        }

        await PublishAsync(recorder, new ClassEvent(ClassEventKind.Closed, code, null, null, null, Now)).ConfigureAwait(false);
        return new(deleted > 0, recorder.Finish());
    }

    /// <summary>The roster with presence, page and last action: four HGETALLs and one MGET, whatever the class's size.</summary>
    public async Task<Traced<IReadOnlyList<RosterEntry>>> GetRosterAsync(string code)
    {
        RequireCode(code);
        var recorder = _tracer.Start("Read the roster");
        var db = Db;
        var names = await HashAsync(recorder, db, ClassKey(code, "roster")).ConfigureAwait(false);
        var joined = await HashAsync(recorder, db, ClassKey(code, "joined")).ConfigureAwait(false);
        var pages = await HashAsync(recorder, db, ClassKey(code, "pages")).ConfigureAwait(false);
        var actions = await HashAsync(recorder, db, ClassKey(code, "actions")).ConfigureAwait(false);
        var ids = names.Keys.ToArray();
        var seen = await PresenceAsync(recorder, code, ids).ConfigureAwait(false);
        var rows = ids.Select(id =>
        {
            var (action, at) = SplitAction(actions.GetValueOrDefault(id));
            return new RosterEntry(
                id,
                names[id],
                FromMs(joined.GetValueOrDefault(id)) ?? DateTimeOffset.UnixEpoch,
                seen.GetValueOrDefault(id),
                pages.GetValueOrDefault(id),
                action,
                at);
        }).OrderBy(r => r.Nickname, StringComparer.CurrentCultureIgnoreCase).ToList();
        return new(rows, recorder.Finish());
    }

    /// <summary>The last heartbeat of each learner (null: offline), in one MGET: the keys share the class's slot.</summary>
    public Task<IReadOnlyDictionary<string, DateTimeOffset?>> GetPresenceAsync(string code, IReadOnlyCollection<string> learners)
    {
        RequireCode(code);
        ArgumentNullException.ThrowIfNull(learners);
        return PresenceAsync(TraceRecorder.None, code, learners);
    }

    /// <summary>The teacher renames a learner (the same uniqueness rule as joining).</summary>
    public async Task<Traced<string>> RenameAsync(string code, string learner, string? nickname)
    {
        RequireCode(code);
        RequireLearner(learner);
        if (!Nickname.TryNormalize(nickname, out var name, out var error))
        {
            throw new LearnerInputException(error, nameof(nickname));
        }

        var recorder = _tracer.Start("Rename a learner");
        await KeepAliveAsync(recorder, code).ConfigureAwait(false);
        var result = await SetNicknameAsync(recorder, code, learner, name, mustBeMember: true).ConfigureAwait(false);
        if (result == 2)
        {
            await PublishAsync(recorder, new ClassEvent(ClassEventKind.Renamed, code, learner, name, null, Now)).ConfigureAwait(false);
        }

        return new(name, recorder.Finish());
    }

    /// <summary>The teacher removes a learner: their roster row, presence and membership go; their browser is told.</summary>
    public async Task<Traced<bool>> RemoveAsync(string code, string learner)
    {
        RequireCode(code);
        RequireLearner(learner);
        var recorder = _tracer.Start("Remove a learner");
        await KeepAliveAsync(recorder, code).ConfigureAwait(false);
        var removed = await RemoveCoreAsync(recorder, code, learner, ClassEventKind.Removed).ConfigureAwait(false);
        return new(removed, recorder.Finish());
    }

    /// <summary>Pauses or resumes the class (an overlay on every learner's screen while paused).</summary>
    public async Task<Traced<bool>> SetPausedAsync(string code, bool paused)
    {
        RequireCode(code);
        var recorder = _tracer.Start(paused ? "Pause the class" : "Resume the class");
        var db = Db;
        var meta = ClassKey(code, "meta");
        if (!await KeepAliveAsync(recorder, code).ConfigureAwait(false))
        {
            throw new ClassNotFoundException();
        }

        var flag = paused ? "1" : "0";
        await TracedAsync(recorder, RedisCommandText.Format("HSET", meta, "paused", flag), () => db.HashSetAsync(meta, "paused", flag), RedisCommandText.Flag).ConfigureAwait(false);
        await PublishAsync(recorder, new ClassEvent(paused ? ClassEventKind.Paused : ClassEventKind.Resumed, code, null, null, null, Now)).ConfigureAwait(false);
        return new(paused, recorder.Finish());
    }

    /// <summary>
    /// Asks every learner's browser to go to <paramref name="path"/> (a page of this app that learners can use, see
    /// <see cref="WhyLearnersCannotGoTo"/>). The page is kept in the class's meta hash, so a learner who loads a page
    /// later still gets "catch up with the teacher".
    /// </summary>
    public async Task<Traced<string>> BringEveryoneAsync(string code, string path)
    {
        RequireCode(code);
        if (WhyLearnersCannotGoTo(path) is { } reason)
        {
            throw new LearnerInputException(reason + " Nothing was changed.", nameof(path));
        }

        var recorder = _tracer.Start("Bring everyone here");
        var db = Db;
        var meta = ClassKey(code, "meta");
        if (!await KeepAliveAsync(recorder, code).ConfigureAwait(false))
        {
            throw new ClassNotFoundException();
        }

        await TracedAsync(recorder, RedisCommandText.Format("HSET", meta, "page", path), () => db.HashSetAsync(meta, "page", path), RedisCommandText.Flag).ConfigureAwait(false);
        await PublishAsync(recorder, new ClassEvent(ClassEventKind.BringHere, code, null, null, path, Now)).ConfigureAwait(false);
        return new(path, recorder.Finish());
    }

    /// <summary>The class's state as a learner's page needs it on load (paused? the teacher's page?), or null when it is gone.</summary>
    public Task<ClassInfo?> GetInfoAsync(string code)
    {
        RequireCode(code);
        return ReadInfoAsync(TraceRecorder.None, code);
    }

    // ---- the learner ----

    /// <summary>
    /// Joins the class of <paramref name="code"/> as <paramref name="nickname"/> (a suggested one when empty). Every
    /// well-formed attempt counts against <paramref name="client"/>'s join limit before the code is looked up, so guessing
    /// codes soon gets "too many attempts"; a malformed code or nickname is refused first and counts for nothing.
    /// Throws <see cref="TooManyJoinAttemptsException"/>, <see cref="ClassNotFoundException"/> or
    /// <see cref="LearnerInputException"/> (a malformed code, a bad or taken nickname, a full class); nothing changes then.
    /// </summary>
    /// <param name="code">The join code as typed.</param>
    /// <param name="nickname">The nickname as typed; empty for a suggested one.</param>
    /// <param name="learner">This browser's learner.</param>
    /// <param name="client">Who is counted (a client address, or a browser when the address is unknown); any text.</param>
    public async Task<Traced<ClassMembership>> JoinAsync(string? code, string? nickname, LearnerId learner, string client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (learner.Value is null)
        {
            throw new ArgumentException("A learner id is required.", nameof(learner));
        }

        // Malformed input is refused before the attempt is counted: it guesses no code, so it spends no budget and writes nothing.
        if (!JoinCode.TryNormalize(code, out var normalized))
        {
            throw new LearnerInputException(JoinCode.FormatMessage, nameof(code));
        }

        var suggest = string.IsNullOrWhiteSpace(nickname);
        var name = "";
        if (!suggest && !Nickname.TryNormalize(nickname, out name, out var error))
        {
            throw new LearnerInputException(error, nameof(nickname));
        }

        var recorder = _tracer.Start("Join a class");
        var rule = new RateLimitRule(Options.JoinAttemptLimit, TimeSpan.FromSeconds(Options.JoinAttemptWindowSeconds));
        var decision = await _limiter.CheckAsync(RateLimitAlgorithm.SlidingLog, "class-join-" + Hash(client), recorder, rule).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw new TooManyJoinAttemptsException(decision.RetryAfter);
        }

        long result = -2;
        for (var attempt = 0; attempt < (suggest ? 5 : 1) && result == -2; attempt++)
        {
            if (suggest)
            {
                name = Nickname.Suggest();
            }

            result = await SetNicknameAsync(recorder, normalized, learner.Value, name, mustBeMember: false).ConfigureAwait(false);
        }

        if (result == -2)
        {
            throw new LearnerInputException($"Someone in this class is already called \"{name}\". Pick another nickname.", nameof(nickname));
        }

        var db = Db;
        var member = MemberKey(learner.Value);
        var previous = await TracedAsync(recorder, RedisCommandText.Format("GET", member), () => db.StringGetAsync(member), RedisCommandText.Reply).ConfigureAwait(false);
        if (!previous.IsNull && previous != normalized && JoinCode.TryNormalize(previous, out var old))
        {
            await RemoveCoreAsync(recorder, old, learner.Value, ClassEventKind.Left).ConfigureAwait(false);
        }

        var ttl = Options.ClassLifetime;
        await TracedAsync(recorder, RedisCommandText.Format("SET", member, normalized, "EX", TtlSeconds), () => db.StringSetAsync(member, normalized, ttl), RedisCommandText.Flag).ConfigureAwait(false);

        // A join is use: every key of the class (current too) lives the full lifetime from now, as this learner's do.
        await KeepAliveAsync(recorder, normalized, force: true, everyMember: false).ConfigureAwait(false);
        if (result is 1 or 2)
        {
            await PublishAsync(recorder, new ClassEvent(result == 1 ? ClassEventKind.Joined : ClassEventKind.Renamed, normalized, learner.Value, name, null, Now)).ConfigureAwait(false);
        }

        return new(new ClassMembership(normalized, learner.Value, name), recorder.Finish());
    }

    /// <summary>The class this browser's learner is in, or null (never joined, removed, or the class closed).</summary>
    public async Task<ClassMembership?> GetMembershipAsync(LearnerId learner)
    {
        if (learner.Value is null)
        {
            return null;
        }

        var code = await RunAsync(db => db.StringGetAsync(MemberKey(learner.Value))).ConfigureAwait(false);
        if (code.IsNull || !JoinCode.TryNormalize(code, out var normalized))
        {
            return null;
        }

        var name = await RunAsync(db => db.HashGetAsync(ClassKey(normalized, "roster"), learner.Value)).ConfigureAwait(false);
        return name.IsNull ? null : new ClassMembership(normalized, learner.Value, name!);
    }

    /// <summary>
    /// Why a learner who is in no class now is no longer in the one they joined: the teacher removed them, or the class
    /// closed (or expired) under them. Null when they never joined, left by themselves, or are in a class.
    /// </summary>
    public async Task<string?> WhyNoLongerInClassAsync(LearnerId learner)
    {
        if (learner.Value is null)
        {
            return null;
        }

        var value = (string?)await RunAsync(db => db.StringGetAsync(MemberKey(learner.Value))).ConfigureAwait(false);
        if (value is null)
        {
            return null;
        }

        if (value.StartsWith(RemovedMark, StringComparison.Ordinal))
        {
            return $"The teacher removed you from class {value[RemovedMark.Length..]}. Type a code to join again.";
        }

        return JoinCode.TryNormalize(value, out var code) && !await RunAsync(db => db.HashExistsAsync(ClassKey(code, "roster"), learner.Value)).ConfigureAwait(false)
            ? $"Class {code} has closed. Type a code to join another."
            : null;
    }

    /// <summary>Whether the class is paused (false when it does not exist).</summary>
    public async Task<bool> IsPausedAsync(string code)
    {
        RequireCode(code);
        return await RunAsync(db => db.HashGetAsync(ClassKey(code, "meta"), "paused")).ConfigureAwait(false) == "1";
    }

    /// <summary>The learner leaves the class.</summary>
    public async Task<bool> LeaveAsync(LearnerId learner)
    {
        if (await GetMembershipAsync(learner).ConfigureAwait(false) is not { } membership)
        {
            return false;
        }

        return await RemoveCoreAsync(TraceRecorder.None, membership.Code, membership.Learner, ClassEventKind.Left).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the learner's presence key alive: one script call (one write) per heartbeat; publishes "online" only when
    /// the key had expired. The same script keeps the class alive while it is in use: once per
    /// <see cref="KeepAliveEverySeconds"/> it gives the class's keys the full lifetime again, and then
    /// <c>classroom:current</c>, every learner's membership and the polls' and rounds' keys follow (see
    /// <see cref="KeepAliveAsync"/>). False when the learner is no longer in the class (removed, or the class closed).
    /// </summary>
    public async Task<bool> HeartbeatAsync(ClassMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var code = membership.Code;
        var result = (long)await EvalAsync(
            TraceRecorder.None,
            ClassScripts.Heartbeat,
            [ClassKey(code, "roster"), Presence(code, membership.Learner), .. FixedKeys(code)],
            [membership.Learner, Now, Options.PresenceSeconds, TtlSeconds, RefreshBelowSeconds],
            RedisResultText).ConfigureAwait(false);
        if (result < 0)
        {
            return false;
        }

        if ((result & 2) != 0)
        {
            await KeepAliveBeyondSlotAsync(code, everyMember: true).ConfigureAwait(false);
        }

        if ((result & 1) != 0)
        {
            await PublishAsync(TraceRecorder.None, new ClassEvent(ClassEventKind.Online, code, membership.Learner, membership.Nickname, null, Now)).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The learner's page closed: their presence goes at once (instead of at the TTL) and the teacher sees it.</summary>
    public async Task GoOfflineAsync(ClassMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (await RunAsync(db => db.KeyDeleteAsync(Presence(membership.Code, membership.Learner))).ConfigureAwait(false))
        {
            await PublishAsync(TraceRecorder.None, new ClassEvent(ClassEventKind.Offline, membership.Code, membership.Learner, membership.Nickname, null, Now)).ConfigureAwait(false);
        }
    }

    /// <summary>Records the page the learner is on and tells the teacher. False when no longer a member.</summary>
    public Task<bool> ReportPageAsync(ClassMembership membership, string path)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(path);
        var page = path.Length > 200 ? path[..200] : path;
        return SetMemberFieldAsync(membership, "pages", page, new ClassEvent(ClassEventKind.Page, membership.Code, membership.Learner, membership.Nickname, page, Now));
    }

    /// <summary>
    /// Records what the learner ran last, adds <paramref name="points"/> to their score on the class's leaderboard
    /// (ZINCRBY on <c>{class:CODE}:leaderboard</c>, in the same script that checks they are a member, so the server
    /// alone decides a score) and tells the teacher. False when no longer a member.
    /// </summary>
    /// <param name="membership">The learner's place in the class.</param>
    /// <param name="action">What they ran.</param>
    /// <param name="points">How many actions this report stands for (a burst reported once counts every action), 1 to 1000.</param>
    public async Task<bool> ReportActionAsync(ClassMembership membership, string action, int points = 1)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(points, 1000);
        var text = action.Length > 120 ? action[..120] : action;
        var now = Now;
        RedisKey[] keys = [ClassKey(membership.Code, "roster"), ClassKey(membership.Code, "actions"), ClassKey(membership.Code, "leaderboard")];
        RedisValue[] args = [membership.Learner, string.Create(CultureInfo.InvariantCulture, $"{now}|{text}"), TtlSeconds, points];
        var score = (long)await EvalAsync(TraceRecorder.None, ClassScripts.ReportAction, keys, args, RedisResultText).ConfigureAwait(false);
        if (score < 0)
        {
            return false;
        }

        await PublishAsync(TraceRecorder.None, new ClassEvent(ClassEventKind.Action, membership.Code, membership.Learner, membership.Nickname, text, now)).ConfigureAwait(false);
        return true;
    }

    // ---- helpers ----

    /// <summary>
    /// Keeps a class in use alive (a teacher's action, a join): one script gives the class's keys of fixed name the full
    /// lifetime again once meta's TTL has fallen <see cref="KeepAliveEverySeconds"/> below it (always, with
    /// <paramref name="force"/>), and when it did, the keys outside the class's slot and its polls' and rounds' keys
    /// follow (<see cref="KeepAliveBeyondSlotAsync"/>). A class left unused still expires after its lifetime.
    /// </summary>
    /// <returns>False when the class does not exist.</returns>
    internal async Task<bool> KeepAliveAsync(TraceRecorder recorder, string code, bool force = false, bool everyMember = true)
    {
        var result = (long)await EvalAsync(recorder, ClassScripts.KeepAlive, FixedKeys(code), [TtlSeconds, force ? TtlSeconds + 1 : RefreshBelowSeconds], RedisResultText).ConfigureAwait(false);
        if (result == 1)
        {
            await KeepAliveBeyondSlotAsync(code, everyMember).ConfigureAwait(false);
        }

        return result >= 0;
    }

    /// <summary>
    /// After the class's keys of fixed name were refreshed: the same lifetime for its polls' and rounds' keys (one script:
    /// they share the class's slot), for <c>classroom:current</c> while it names this class and, with
    /// <paramref name="everyMember"/>, for each learner's membership key while it names this class (one script call per
    /// key: on a cluster they live in other slots than the class's). Runs at most once per
    /// <see cref="KeepAliveEverySeconds"/>, so it stays out of the traces.
    /// </summary>
    private async Task KeepAliveBeyondSlotAsync(string code, bool everyMember)
    {
        var polls = await RunAsync(db => db.ListRangeAsync(ClassKey(code, "polls"))).ConfigureAwait(false);
        var rounds = await RunAsync(db => db.ListRangeAsync(ClassKey(code, ClassStampede.ListName))).ConfigureAwait(false);
        RedisKey[] items =
        [
            .. PollKeys(code, polls),
            .. rounds.SelectMany(r => ClassStampede.RoundStateKeyNames(r!).Select(name => ClassKey(code, name))),
        ];
        var learners = everyMember ? await RunAsync(db => db.HashKeysAsync(ClassKey(code, "roster"))).ConfigureAwait(false) : [];
        List<Task> work = [EvalAsync(TraceRecorder.None, ClassScripts.ExpireIfClass, [CurrentKey], [code, TtlSeconds], RedisResultText)];
        if (items.Length > 0)
        {
            work.Add(EvalAsync(TraceRecorder.None, ClassScripts.ExpireAll, items, [TtlSeconds], RedisResultText));
        }

        work.AddRange(learners.Select(l => EvalAsync(TraceRecorder.None, ClassScripts.ExpireIfClass, [MemberKey((string)l!)], [code, TtlSeconds], RedisResultText)));
        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private async Task<bool> SetMemberFieldAsync(ClassMembership membership, string hash, string value, ClassEvent evt)
    {
        var written = (long)await EvalAsync(
            TraceRecorder.None, ClassScripts.SetMemberField, [ClassKey(membership.Code, "roster"), ClassKey(membership.Code, hash)], [membership.Learner, value, TtlSeconds], RedisResultText).ConfigureAwait(false);
        if (written == 1)
        {
            await PublishAsync(TraceRecorder.None, evt).ConfigureAwait(false);
        }

        return written == 1;
    }

    private async Task<long> SetNicknameAsync(TraceRecorder recorder, string code, string learner, string name, bool mustBeMember)
    {
        RedisKey[] keys = [ClassKey(code, "meta"), ClassKey(code, "roster"), ClassKey(code, "joined"), ClassKey(code, "folds"), ClassKey(code, "names")];
        RedisValue[] args = [learner, name, Nickname.Fold(name), Now, TtlSeconds, Options.MaxLearners, mustBeMember ? "1" : "0"];
        var result = (long)await EvalAsync(recorder, ClassScripts.SetNickname, keys, args, RedisResultText).ConfigureAwait(false);
        return result switch
        {
            -1 => throw new ClassNotFoundException(),
            -2 when mustBeMember => throw new LearnerInputException($"Someone in this class is already called \"{name}\". Pick another nickname.", nameof(name)),
            -3 => throw new LearnerInputException("This learner is no longer in the class.", nameof(learner)),
            -4 => throw new LearnerInputException($"This class is full ({Options.MaxLearners} learners).", nameof(code)),
            _ => result,
        };
    }

    private async Task<bool> RemoveCoreAsync(TraceRecorder recorder, string code, string learner, ClassEventKind kind)
    {
        RedisKey[] keys =
        [
            ClassKey(code, "roster"), ClassKey(code, "joined"), ClassKey(code, "folds"), ClassKey(code, "names"), ClassKey(code, "pages"), ClassKey(code, "actions"), Presence(code, learner),
            ClassKey(code, "leaderboard"), ClassKey(code, "muted"),
        ];
        var removed = await EvalAsync(recorder, ClassScripts.Remove, keys, [learner], r => r.IsNull ? "(nil)" : $"\"{r}\"").ConfigureAwait(false);
        if (removed.IsNull)
        {
            return false;
        }

        var db = Db;
        var member = MemberKey(learner);
        if (await RunAsync(d => d.StringGetAsync(member)).ConfigureAwait(false) == code)
        {
            if (kind == ClassEventKind.Removed)
            {
                // Marked, not deleted, until it expires: a removed learner who opens /join later (another page, a new
                // tab) is told why they are no longer in the class. It is no code, so it is no membership.
                var mark = RemovedMark + code;
                await TracedAsync(recorder, RedisCommandText.Format("SET", member, mark, "KEEPTTL"), () => db.StringSetAsync(member, mark, null, keepTtl: true), RedisCommandText.Flag).ConfigureAwait(false);
            }
            else
            {
                await TracedAsync(recorder, RedisCommandText.Format("UNLINK", member), () => db.KeyDeleteAsync(member), RedisCommandText.Flag).ConfigureAwait(false);
            }
        }

        await PublishAsync(recorder, new ClassEvent(kind, code, learner, (string?)removed, null, Now)).ConfigureAwait(false);
        return true;
    }

    private async Task<ClassInfo?> ReadInfoAsync(TraceRecorder recorder, string code)
    {
        if (!JoinCode.TryNormalize(code, out var normalized))
        {
            return null;
        }

        var meta = await HashAsync(recorder, Db, ClassKey(normalized, "meta")).ConfigureAwait(false);
        return meta.Count == 0
            ? null
            : new ClassInfo(normalized, FromMs(meta.GetValueOrDefault("openedAt")) ?? DateTimeOffset.UnixEpoch, meta.GetValueOrDefault("paused") == "1", meta.GetValueOrDefault("page"));
    }

    private async Task<IReadOnlyDictionary<string, DateTimeOffset?>> PresenceAsync(TraceRecorder recorder, string code, IReadOnlyCollection<string> learners)
    {
        var result = new Dictionary<string, DateTimeOffset?>(learners.Count);
        if (learners.Count == 0)
        {
            return result;
        }

        var ids = learners.ToArray();
        var keys = ids.Select(id => Presence(code, id)).ToArray();
        var db = Db;
        var values = await TracedAsync(
            recorder,
            RedisCommandText.Format("MGET", keys.Cast<object?>()),
            "await db.StringGetAsync(presenceKeys); // one MGET: the keys share the class's hash tag",
            () => db.StringGetAsync(keys),
            v => Wording.Count(v.Count(x => !x.IsNull), "learner") + " online").ConfigureAwait(false);
        for (var i = 0; i < ids.Length; i++)
        {
            result[ids[i]] = FromMs(values[i]);
        }

        return result;
    }

    private async Task<Dictionary<string, string>> HashAsync(TraceRecorder recorder, IDatabase db, RedisKey key)
    {
        var entries = await TracedAsync(recorder, RedisCommandText.Format("HGETALL", key), () => db.HashGetAllAsync(key), e => Wording.Count(e.Length, "field")).ConfigureAwait(false);
        return entries.ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "", StringComparer.Ordinal);
    }

    internal Task<long> PublishAsync(TraceRecorder recorder, ClassEvent evt)
    {
        var db = Db;
        var channel = Channel(evt.Code);
        var json = evt.ToJson();
        return TracedAsync(
            recorder,
            RedisCommandText.Format("PUBLISH", ChannelPrefix + evt.Code, json),
            () => db.PublishAsync(channel, json),
            n => Wording.Count(n, "subscriber") + " (app instances) received it");
    }

    internal Task<RedisResult> EvalAsync(TraceRecorder recorder, ClassScript script, RedisKey[] keys, RedisValue[] args, Func<RedisResult, string> describe)
    {
        List<object?> shown = [script.Sha1, keys.Length, .. keys.Cast<object?>(), .. args.Cast<object?>()];
        var db = Db;
        return recorder.RunAsync(
            RedisCommandText.Format("EVALSHA", shown),
            $"await db.ScriptEvaluateAsync({script.Name}Lua, keys, values); // Lua \"{script.Name}\": sent as EVAL once, then as EVALSHA",
            () => _budget.RunAsync(() => db.ScriptEvaluateAsync(script.Text, keys, args)),
            describe);
    }

    internal static string RedisResultText(RedisResult r) => r.IsNull ? "(nil)" : "(integer) " + r;

    private static (string? Action, DateTimeOffset? At) SplitAction(string? value)
    {
        if (value is null || value.IndexOf('|', StringComparison.Ordinal) is var bar && bar < 0)
        {
            return (null, null);
        }

        return (value[(bar + 1)..], FromMs(value[..bar]));
    }

    private static DateTimeOffset? FromMs(RedisValue value) =>
        !value.IsNull && long.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static DateTimeOffset? FromMs(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    internal static void RequireCode(string code)
    {
        if (!JoinCode.TryNormalize(code, out var normalized) || normalized != code)
        {
            throw new LearnerInputException(JoinCode.FormatMessage, nameof(code));
        }
    }

    internal static void RequireLearner(string learner)
    {
        if (!LearnerId.TryParse(learner, out _))
        {
            throw new LearnerInputException("That is not a learner of this app.", nameof(learner));
        }
    }

    /// <summary>A local path: starts with one slash, no scheme, no backslash, no control characters.</summary>
    public static bool IsLocalPath(string? path) =>
        path is { Length: > 0 and <= 200 } && path[0] == '/' && !path.StartsWith("//", StringComparison.Ordinal)
        && !path.Contains('\\', StringComparison.Ordinal) && !path.Any(char.IsControl);

    /// <summary>The teacher's page: a learner who opens it reads "This page is for the teacher", so the class is never sent there.</summary>
    public const string TeacherPath = "/teacher";

    /// <summary>
    /// The paths that answer programs, not people (the API, health checks, the SignalR hubs, the OpenAPI document): a
    /// learner's browser sent there shows JSON or an error. The app's hosting reads the same list.
    /// </summary>
    public static IReadOnlyList<string> MachinePaths { get; } = ["/api", "/health", "/hubs", "/openapi"];

    /// <summary>
    /// Why the class cannot be brought to <paramref name="path"/>, in words for the teacher, or null when it is a page
    /// learners can use: a local path (<see cref="IsLocalPath"/>) that is neither the teacher's page nor a machine path
    /// (matched by whole segments, any case, percent-escapes read, as the router and the endpoints match them).
    /// </summary>
    public static string? WhyLearnersCannotGoTo(string? path)
    {
        if (!IsLocalPath(path))
        {
            return "Only a page of this app can be shared.";
        }

        var pagePath = path!.Split('?', '#')[0];
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(pagePath);
        }
        catch (UriFormatException)
        {
            return "Only a page of this app can be shared.";
        }

        if (IsUnder(decoded, TeacherPath))
        {
            return $"{TeacherPath} is the teacher's page: learners cannot use it. Open the page you want the class on, then bring everyone there.";
        }

        return MachinePaths.FirstOrDefault(p => IsUnder(decoded, p)) is { } machine
            ? $"{machine} is not a page for people (it answers programs). Open the page you want the class on, then bring everyone there."
            : null;
    }

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
