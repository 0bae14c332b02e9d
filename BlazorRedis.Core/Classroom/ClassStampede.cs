using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// The class stampede: the class is the load. The teacher arms a round (a cold key of the class and a protection, none
/// or the lock) with a window; every learner who presses Read within it runs one real cache-aside read of that key
/// through the stampede lab's protections (GET, on a miss the slow product database, SETEX). Each load is counted in
/// Redis by the reader that makes it (HINCRBY), so every app instance adds to one count, and held until the window
/// closes: the window stands for the time one slow load takes, so every read of the window arrives while the key is
/// still cold, as concurrent requests do in production. Keys: the round's hash (<c>{class:CODE}:stampede:ID</c>: the
/// protection, the window, readers and loads), its reads (<c>…:readers</c>, learner → wait and source), its cold key
/// (<c>…:product</c>) and lock (<c>…:lock</c>), and the class's list of rounds (<c>{class:CODE}:stampedes</c>).
/// </summary>
public sealed class ClassStampede(ClassService classes, RedisGate redis, IProductDatabase database, RedisTracer tracer)
{
    /// <summary>The shortest window, in seconds.</summary>
    public const int MinWindowSeconds = 2;

    /// <summary>The longest window, in seconds.</summary>
    public const int MaxWindowSeconds = 60;

    /// <summary>The window the teacher starts from.</summary>
    public const int DefaultWindowSeconds = 10;

    /// <summary>The most rounds one class keeps.</summary>
    public const int MaxRounds = 100;

    /// <summary>The protections a class round offers: none shows the herd, the lock (works across app instances) tames it.</summary>
    public static IReadOnlyList<StampedeProtection> Protections { get; } = [StampedeProtection.None, StampedeProtection.Lock];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly NoProtection _none = new();
    private readonly LockProtection _lock = new();

    /// <summary>How many times arming reads the class's current round again when another arm changed it meanwhile.</summary>
    private const int ArmAttempts = 10;

    /// <summary>
    /// KEYS: meta, round, rounds list, the current round (or the new one when there is none). ARGV: id, protection, now
    /// (ms), closesAt (ms), ttl (s), max rounds, the current round's id as read ('' for none). Returns -1 no such class,
    /// -2 too many rounds, -3 a round is still open (then the second value is when it closes), -4 another arm changed the
    /// current round since it was read (read it again), 1 armed.
    /// </summary>
    public static readonly ClassScript ArmScript = new("class-stampede-arm", """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0} end
        if (redis.call('HGET', KEYS[1], 'stampede') or '') ~= ARGV[7] then return {-4, 0} end
        local closes = tonumber(redis.call('HGET', KEYS[4], 'closesAt'))
        if closes and closes > tonumber(ARGV[3]) then return {-3, closes} end
        if redis.call('LLEN', KEYS[3]) >= tonumber(ARGV[6]) then return {-2, 0} end
        redis.call('HSET', KEYS[2], 'protection', ARGV[2], 'armedAt', ARGV[3], 'closesAt', ARGV[4], 'readers', 0, 'loads', 0)
        redis.call('EXPIRE', KEYS[2], ARGV[5])
        redis.call('HSET', KEYS[1], 'stampede', ARGV[1])
        redis.call('RPUSH', KEYS[3], ARGV[1])
        redis.call('EXPIRE', KEYS[3], ARGV[5])
        return {1, 0}
        """);

    /// <summary>
    /// KEYS: round, readers, roster. ARGV: learner, now (ms), ttl (s). Takes a learner's one read of the round.
    /// Returns -1 no such round, -3 not in the class, -4 read already, -2 the window closed, else the readers so far.
    /// </summary>
    public static readonly ClassScript ReadScript = new("class-stampede-read", """
        local closes = redis.call('HGET', KEYS[1], 'closesAt')
        if not closes then return -1 end
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return -3 end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return -4 end
        if tonumber(ARGV[2]) >= tonumber(closes) then return -2 end
        redis.call('HSET', KEYS[2], ARGV[1], '')
        redis.call('EXPIRE', KEYS[2], ARGV[3])
        return redis.call('HINCRBY', KEYS[1], 'readers', 1)
        """);

    /// <summary>The product database's latency now: each load pays it after the window closes.</summary>
    public Task<TimeSpan> GetDatabaseLatencyAsync(CancellationToken cancellationToken = default) => database.GetLatencyAsync(cancellationToken);

    /// <summary>The round's hash.</summary>
    internal static string RoundName(string id) => "stampede:" + id;

    /// <summary>
    /// The keys of one round that live as long as the class (the round and its readers), by name under the class: what
    /// keeping the class alive refreshes. The round's product cache and lock keep their own short lifetimes.
    /// </summary>
    internal static IEnumerable<string> RoundStateKeyNames(string id) => [RoundName(id), RoundName(id) + ":readers"];

    /// <summary>Every key of one round, by name under the class (for closing the class).</summary>
    internal static IEnumerable<string> RoundKeyNames(string id) => [.. RoundStateKeyNames(id), RoundName(id) + ":product", RoundName(id) + ":lock"];

    /// <summary>The class's list of rounds.</summary>
    internal const string ListName = "stampedes";

    private RedisKey RoundKey(string code, string id) => classes.ClassKey(code, RoundName(id));

    private RedisKey ReadersKey(string code, string id) => classes.ClassKey(code, RoundName(id) + ":readers");

    /// <summary>Parses a protection a class round offers (none, lock); false for anything else.</summary>
    public static bool TryParseProtection(string? name, out StampedeProtection protection) =>
        StampedeRace.TryParseProtection(name, out protection) && Protections.Contains(protection);

    /// <summary>Throws <see cref="LearnerInputException"/> for a window outside 2–60 s, saying the range.</summary>
    public static void ValidateWindow(int windowSeconds)
    {
        if (windowSeconds is < MinWindowSeconds or > MaxWindowSeconds)
        {
            throw new LearnerInputException($"The window must be between {MinWindowSeconds} and {MaxWindowSeconds} seconds.", nameof(windowSeconds));
        }
    }

    /// <summary>
    /// The teacher arms a round: a new cold key, the protection, a window of <paramref name="windowSeconds"/>. Throws
    /// <see cref="LearnerInputException"/> for a protection other than none or lock, a window outside 2–60 s, while the
    /// previous round's window is still open, or past <see cref="MaxRounds"/>; <see cref="ClassNotFoundException"/> when
    /// the class is gone. Nothing changes then.
    /// </summary>
    public async Task<Traced<ClassStampedeRound>> ArmAsync(string code, StampedeProtection protection, int windowSeconds)
    {
        ClassService.RequireCode(code);
        if (!Protections.Contains(protection))
        {
            throw new LearnerInputException("A class round runs with no protection or with the lock.", nameof(protection));
        }

        ValidateWindow(windowSeconds);
        var recorder = tracer.Start($"Arm a class stampede round ({Name(protection)}, {windowSeconds} s)");
        await classes.KeepAliveAsync(recorder, code).ConfigureAwait(false);
        var db = classes.Db;
        var meta = classes.ClassKey(code, "meta");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var round = RoundKey(code, id);
        RedisResult[] result = [];
        long now = 0, closesAt = 0;
        for (var attempt = 0; attempt < ArmAttempts && (result.Length == 0 || (long)result[0] == -4); attempt++)
        {
            // The round is current only if no other arm changed it since this read: the script checks, else read again.
            var previous = await classes.TracedAsync(recorder, RedisCommandText.Format("HGET", meta, "stampede"), () => db.HashGetAsync(meta, "stampede"), RedisCommandText.Reply).ConfigureAwait(false);
            now = classes.Now;
            closesAt = now + (windowSeconds * 1000L);
            RedisKey[] keys = [meta, round, classes.ClassKey(code, ListName), previous.IsNull ? round : RoundKey(code, previous!)];
            RedisValue[] args = [id, Name(protection), now, closesAt, classes.TtlSeconds, MaxRounds, previous.IsNull ? "" : previous];
            result = (RedisResult[])(await classes.EvalAsync(recorder, ArmScript, keys, args, r => r.ToString()).ConfigureAwait(false))!;
        }

        switch ((long)result[0])
        {
            case -4:
                throw new LearnerInputException("Other rounds were being armed at the same moment. Arm this one again.", nameof(code));
            case -1:
                throw new ClassNotFoundException();
            case -2:
                throw new LearnerInputException($"This class already ran {MaxRounds} stampede rounds, the most it keeps. Open a new class for more.", nameof(code));
            case -3:
                var left = Math.Max(1, (long)Math.Ceiling(((long)result[1] - now) / 1000.0));
                throw new LearnerInputException($"The current round is still open: its window closes in {Wording.Count(left, "second")}. Arm the next one after that.", nameof(code));
        }

        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.StampedeArmed, code, null, null, id, now)).ConfigureAwait(false);
        var armed = new ClassStampedeRound(id, protection, DateTimeOffset.FromUnixTimeMilliseconds(now), DateTimeOffset.FromUnixTimeMilliseconds(closesAt), 0, 0, []);
        return new(armed, recorder.Finish());
    }

    /// <summary>
    /// A learner presses Read: one script takes their one read of the round (the window is open, they are in the class,
    /// they have not read yet), then a real cache-aside read of the round's cold key runs with the round's protection,
    /// timed from here until the value arrives. Throws <see cref="LearnerInputException"/> with the reason when the read
    /// is refused; nothing is counted then.
    /// </summary>
    public async Task<Traced<ClassStampedeRead>> ReadAsync(ClassMembership membership, string? roundId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var waited = Stopwatch.StartNew();
        var code = membership.Code;
        var id = roundId is null ? null : RequireRoundId(roundId);
        var recorder = tracer.Start("Class stampede: read the round's cold key");
        var db = classes.Db;
        if (id is null)
        {
            var meta = classes.ClassKey(code, "meta");
            var current = await classes.TracedAsync(recorder, RedisCommandText.Format("HGET", meta, "stampede"), () => db.HashGetAsync(meta, "stampede"), RedisCommandText.Reply).ConfigureAwait(false);
            id = current.IsNull ? throw NoRound() : (string)current!;
        }

        var round = RoundKey(code, id);
        RedisKey[] keys = [round, ReadersKey(code, id), classes.ClassKey(code, "roster")];
        RedisValue[] args = [membership.Learner, classes.Now, classes.TtlSeconds];
        var taken = (long)await classes.EvalAsync(recorder, ReadScript, keys, args, ClassService.RedisResultText).ConfigureAwait(false);
        _ = taken switch
        {
            -1 => throw NoRound(),
            -2 => throw new LearnerInputException("This round's window has closed: reads are no longer taken. Wait for the teacher to arm the next round.", nameof(roundId)),
            -3 => throw new LearnerInputException("Only learners in the class can read in its stampede round.", nameof(membership)),
            -4 => throw new LearnerInputException("You already read in this round: one read per learner.", nameof(roundId)),
            _ => 0,
        };
        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.StampedeRead, code, membership.Learner, membership.Nickname, id, classes.Now)).ConfigureAwait(false);

        var fields = await classes.TracedAsync(
            recorder,
            RedisCommandText.Format("HMGET", round, "protection", "closesAt"),
            () => db.HashGetAsync(round, ["protection", "closesAt"]),
            v => string.Join(", ", v.Select(RedisCommandText.Reply))).ConfigureAwait(false);
        var protection = TryParseProtection(fields[0], out var p) ? p : StampedeProtection.None;
        var closesAt = (long)fields[1];
        var latency = await database.GetLatencyAsync(cancellationToken).ConfigureAwait(false);
        var run = new StampedeRun(
            protection == StampedeProtection.Lock ? _lock : _none,
            redis,
            database,
            classes.ClassKey(code, RoundName(id) + ":product"),
            classes.ClassKey(code, RoundName(id) + ":lock"),
            recorder)
        {
            BeforeLoad = ct => CountAndHoldLoadAsync(recorder, membership, id, closesAt, ct),

            // The load lasts until the window closes: the lock must outlive it, or a second learner would take it.
            LockTtlOverride = TimeSpan.FromMilliseconds(Math.Max(0, closesAt - classes.Now)) + StampedeRun.DefaultLockTtl(latency),
            DatabaseLatency = latency,
        };
        await (protection == StampedeProtection.Lock ? _lock : (IStampedeProtection)_none).ReadAsync(run, recorder, cancellationToken).ConfigureAwait(false);
        waited.Stop();

        var source = run.Loads > 0 ? StampedeReadSource.Database : run.Waits > 0 ? StampedeReadSource.Lock : StampedeReadSource.Cache;
        var read = new ClassStampedeRead(membership.Learner, membership.Nickname, source, Math.Round(waited.Elapsed.TotalMilliseconds, 1));
        var readers = ReadersKey(code, id);
        var json = JsonSerializer.Serialize(read, Json);
        await classes.TracedAsync(recorder, RedisCommandText.Format("HSET", readers, membership.Learner, json), () => db.HashSetAsync(readers, membership.Learner, json), RedisCommandText.Flag).ConfigureAwait(false);
        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.StampedeDone, code, membership.Learner, membership.Nickname, id, classes.Now)).ConfigureAwait(false);
        return new(read, recorder.Finish());
    }

    /// <summary>One round with its counts and finished reads (HGETALL of the round and of its reads), or null.</summary>
    public Task<ClassStampedeRound?> GetAsync(string code, string roundId)
    {
        ClassService.RequireCode(code);
        return ReadRoundAsync(TraceRecorder.None, code, RequireRoundId(roundId));
    }

    /// <summary>The class's latest round, or null when it has none.</summary>
    public async Task<ClassStampedeRound?> LatestAsync(string code)
    {
        ClassService.RequireCode(code);
        var id = await classes.RunAsync(db => db.HashGetAsync(classes.ClassKey(code, "meta"), "stampede")).ConfigureAwait(false);
        return id.IsNull ? null : await ReadRoundAsync(TraceRecorder.None, code, id!).ConfigureAwait(false);
    }

    /// <summary>Every round of the class, newest first, with its counts.</summary>
    public async Task<Traced<IReadOnlyList<ClassStampedeRound>>> ListAsync(string code)
    {
        ClassService.RequireCode(code);
        var recorder = tracer.Start("Read the class's stampede rounds");
        var db = classes.Db;
        var list = classes.ClassKey(code, ListName);
        var ids = await classes.TracedAsync(recorder, RedisCommandText.Format("LRANGE", list, 0, -1), () => db.ListRangeAsync(list), r => Wording.Count(r.Length, "round")).ConfigureAwait(false);
        var rounds = new List<ClassStampedeRound>(ids.Length);
        foreach (var id in ids.Reverse())
        {
            if (await ReadRoundAsync(recorder, code, id!).ConfigureAwait(false) is { } round)
            {
                rounds.Add(round);
            }
        }

        return new(rounds, recorder.Finish());
    }

    /// <summary>The learner's finished read of a round, or null (not read, or still reading).</summary>
    public async Task<ClassStampedeRead?> GetReadAsync(string code, string roundId, string learner)
    {
        ClassService.RequireCode(code);
        var value = await classes.RunAsync(db => db.HashGetAsync(ReadersKey(code, RequireRoundId(roundId)), learner)).ConfigureAwait(false);
        return ParseRead(value);
    }

    /// <summary>A protection's name as the page and the round's hash say it.</summary>
    public static string Name(StampedeProtection protection) => protection.ToString().ToLowerInvariant();

    // The loader counts its load in Redis (so every instance adds to one count), tells the projector, then holds the
    // load until the window closes: every read within the window finds the key still cold.
    private async Task CountAndHoldLoadAsync(TraceRecorder recorder, ClassMembership membership, string id, long closesAt, CancellationToken cancellationToken)
    {
        var db = classes.Db;
        var round = RoundKey(membership.Code, id);
        await classes.TracedAsync(recorder, RedisCommandText.Format("HINCRBY", round, "loads", 1), () => db.HashIncrementAsync(round, "loads"), n => "(integer) " + n.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.StampedeLoaded, membership.Code, membership.Learner, membership.Nickname, id, classes.Now)).ConfigureAwait(false);
        var hold = closesAt - classes.Now;
        if (hold > 0)
        {
            await recorder.TimeAsync("Database", $"the load is held until the window closes ({hold} ms)", async () =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(hold), cancellationToken).ConfigureAwait(false);
                return hold;
            }).ConfigureAwait(false);
        }
    }

    private async Task<ClassStampedeRound?> ReadRoundAsync(TraceRecorder recorder, string code, string id)
    {
        var db = classes.Db;
        var key = RoundKey(code, id);
        var readersKey = ReadersKey(code, id);
        var entries = await classes.TracedAsync(recorder, RedisCommandText.Format("HGETALL", key), () => db.HashGetAllAsync(key), e => Wording.Count(e.Length, "field")).ConfigureAwait(false);
        if (entries.Length == 0)
        {
            return null;
        }

        var reads = await classes.TracedAsync(recorder, RedisCommandText.Format("HGETALL", readersKey), () => db.HashGetAllAsync(readersKey), e => Wording.Count(e.Length, "field")).ConfigureAwait(false);
        var h = entries.ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        return new ClassStampedeRound(
            id,
            TryParseProtection(h.GetValueOrDefault("protection"), out var protection) ? protection : StampedeProtection.None,
            DateTimeOffset.FromUnixTimeMilliseconds(Long(h.GetValueOrDefault("armedAt"))),
            DateTimeOffset.FromUnixTimeMilliseconds(Long(h.GetValueOrDefault("closesAt"))),
            Long(h.GetValueOrDefault("readers")),
            Long(h.GetValueOrDefault("loads")),
            [.. reads.Select(r => ParseRead(r.Value)).OfType<ClassStampedeRead>().OrderBy(r => r.Nickname, StringComparer.CurrentCultureIgnoreCase)]);
    }

    private static ClassStampedeRead? ParseRead(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClassStampedeRead>((string)value!, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long Long(string? s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static LearnerInputException NoRound() =>
        new("No class stampede round is armed: wait for the teacher to arm one, then press Read within its window.", "roundId");

    private static string RequireRoundId(string id) =>
        id is { Length: 8 } && id.All(char.IsAsciiHexDigitLower) ? id : throw NoRound();
}
