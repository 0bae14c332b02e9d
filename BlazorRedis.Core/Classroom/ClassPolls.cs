using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// Live polls of a class. One hash per poll (<c>{class:CODE}:poll:ID</c>: the question, the options, the state and one
/// counter per option), one hash of answers per poll (learner → choices, written with HSETNX inside a script, so a
/// learner's second answer is refused by Redis itself), and the class's list of polls (<c>{class:CODE}:polls</c>) for
/// the results kept per class. Every change is published on the class's channel, so the teacher's histogram moves as
/// answers arrive without anyone polling.
/// </summary>
public sealed class ClassPolls(ClassService classes, RedisTracer tracer)
{
    /// <summary>The fewest options a poll has.</summary>
    public const int MinOptions = 2;

    /// <summary>The most options a poll has.</summary>
    public const int MaxOptions = 6;

    /// <summary>The longest question, in characters.</summary>
    public const int MaxQuestionLength = 300;

    /// <summary>The longest option, in characters.</summary>
    public const int MaxOptionLength = 120;

    /// <summary>The most polls one class keeps.</summary>
    public const int MaxPolls = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How many times a push reads the class's current poll again when another push changed it meanwhile.</summary>
    private const int PushAttempts = 10;

    /// <summary>
    /// KEYS: meta, poll, polls, the class's current poll (or the new one when there is none). ARGV: id, question, options
    /// (JSON), multiple, now (ms), ttl (s), option count, max polls, the current poll's id as read ('' for none). Closes
    /// the current poll in the same step, so two pushes at once leave one poll open. Returns -1 no such class, -2 too
    /// many polls, -3 another push changed the current poll since it was read (read it again), 1 pushed.
    /// </summary>
    public static readonly ClassScript PushScript = new("class-poll-push", """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local current = redis.call('HGET', KEYS[1], 'poll') or ''
        if current ~= ARGV[9] then return -3 end
        if redis.call('LLEN', KEYS[3]) >= tonumber(ARGV[8]) then return -2 end
        if current ~= '' and redis.call('HGET', KEYS[4], 'state') == 'open' then redis.call('HSET', KEYS[4], 'state', 'closed') end
        redis.call('HSET', KEYS[2], 'question', ARGV[2], 'options', ARGV[3], 'multiple', ARGV[4], 'state', 'open', 'openedAt', ARGV[5], 'n', ARGV[7], 'voters', 0, 'correct', '[]')
        for i = 0, tonumber(ARGV[7]) - 1 do redis.call('HSET', KEYS[2], 'c' .. i, 0) end
        redis.call('EXPIRE', KEYS[2], ARGV[6])
        redis.call('HSET', KEYS[1], 'poll', ARGV[1])
        redis.call('RPUSH', KEYS[3], ARGV[1])
        redis.call('EXPIRE', KEYS[3], ARGV[6])
        return 1
        """);

    /// <summary>
    /// KEYS: poll, answers, roster. ARGV: learner, ttl (s), choice… (distinct option indexes).
    /// Returns -1 no such poll, -2 closed, -3 not in the class, -4 answered already, -5 no such option, -6 one option only, 1 counted.
    /// </summary>
    public static readonly ClassScript AnswerScript = new("class-poll-answer", """
        local state = redis.call('HGET', KEYS[1], 'state')
        if not state then return -1 end
        if state ~= 'open' then return -2 end
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return -3 end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return -4 end
        local n = tonumber(redis.call('HGET', KEYS[1], 'n'))
        if #ARGV < 3 then return -5 end
        if #ARGV > 3 and redis.call('HGET', KEYS[1], 'multiple') ~= '1' then return -6 end
        for i = 3, #ARGV do
          local c = tonumber(ARGV[i])
          if not c or c < 0 or c >= n then return -5 end
        end
        redis.call('HSETNX', KEYS[2], ARGV[1], table.concat(ARGV, ',', 3))
        redis.call('EXPIRE', KEYS[2], ARGV[2])
        for i = 3, #ARGV do redis.call('HINCRBY', KEYS[1], 'c' .. ARGV[i], 1) end
        redis.call('HINCRBY', KEYS[1], 'voters', 1)
        return 1
        """);

    /// <summary>
    /// KEYS: poll. ARGV: new state, correct (JSON, or empty to keep). Closing only closes an open poll (a revealed one
    /// stays revealed). -1 no such poll, 1 changed, 0 unchanged.
    /// </summary>
    public static readonly ClassScript SetStateScript = new("class-poll-state", """
        local state = redis.call('HGET', KEYS[1], 'state')
        if not state then return -1 end
        if ARGV[1] == 'closed' and state ~= 'open' then return 0 end
        if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'correct', ARGV[2]) end
        if state == ARGV[1] and ARGV[2] == '' then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[1])
        return 1
        """);

    /// <summary>A poll's hash, by name under the class.</summary>
    internal static string PollName(string id) => "poll:" + id;

    /// <summary>A poll's answers (learner → choices), by name under the class.</summary>
    internal static string AnswersName(string id) => PollName(id) + ":answers";

    /// <summary>The learners who hid a poll's card (learner → the poll's state when they hid it), by name under the class.</summary>
    internal static string HiddenName(string id) => PollName(id) + ":hidden";

    /// <summary>
    /// Every key of one poll, by name under the class: what a push, the answers and hiding create, what keeping the class
    /// alive refreshes and what closing it deletes (<see cref="ClassService"/> reads the names here, so the three cannot
    /// drift apart).
    /// </summary>
    internal static IEnumerable<string> PollKeyNames(string id) => [PollName(id), AnswersName(id), HiddenName(id)];

    private RedisKey PollKey(string code, string id) => classes.ClassKey(code, PollName(id));

    private RedisKey AnswersKey(string code, string id) => classes.ClassKey(code, AnswersName(id));

    /// <summary>
    /// The teacher pushes a poll to every learner of the class; the class's open poll closes in the same script (two
    /// pushes at once leave one poll open: the later one, after reading the current poll again). Throws
    /// <see cref="LearnerInputException"/> for an empty or too long question, fewer than 2 or more than 6 options, an
    /// empty, too long or repeated option; <see cref="ClassNotFoundException"/> when the class is gone. Nothing changes then.
    /// </summary>
    public async Task<Traced<ClassPoll>> PushAsync(string code, string? question, IReadOnlyList<string?>? options, bool multiple)
    {
        ClassService.RequireCode(code);
        var text = CleanText(question, MaxQuestionLength, "question", nameof(question));
        var cleaned = CleanOptions(options);
        var recorder = tracer.Start("Push a poll");
        await classes.KeepAliveAsync(recorder, code).ConfigureAwait(false);
        var db = classes.Db;
        var meta = classes.ClassKey(code, "meta");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var now = classes.Now;
        var result = -3L;
        for (var attempt = 0; attempt < PushAttempts && result == -3; attempt++)
        {
            var previous = await classes.TracedAsync(recorder, RedisCommandText.Format("HGET", meta, "poll"), () => db.HashGetAsync(meta, "poll"), RedisCommandText.Reply).ConfigureAwait(false);
            var pollKey = PollKey(code, id);
            RedisKey[] keys = [meta, pollKey, classes.ClassKey(code, "polls"), previous.IsNull ? pollKey : PollKey(code, previous!)];
            RedisValue[] args = [id, text, JsonSerializer.Serialize(cleaned, Json), multiple ? "1" : "0", now, classes.TtlSeconds, cleaned.Count, MaxPolls, previous.IsNull ? "" : previous];
            result = (long)await classes.EvalAsync(recorder, PushScript, keys, args, ClassService.RedisResultText).ConfigureAwait(false);
        }

        if (result == -3)
        {
            throw new LearnerInputException("Other polls were being pushed at the same moment. Push this one again.", nameof(question));
        }

        if (result == -1)
        {
            throw new ClassNotFoundException();
        }

        if (result == -2)
        {
            throw new LearnerInputException($"This class already has {MaxPolls} polls, the most it keeps. Open a new class for more.", nameof(question));
        }

        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.PollOpened, code, null, null, id, now)).ConfigureAwait(false);
        var poll = new ClassPoll(id, text, cleaned, multiple, PollState.Open, [], new long[cleaned.Count], 0, DateTimeOffset.FromUnixTimeMilliseconds(now));
        return new(poll, recorder.Finish());
    }

    /// <summary>
    /// A learner answers: one script checks the poll is open, the learner is in the class and has not answered (HSETNX),
    /// then counts the choices. Throws <see cref="LearnerInputException"/> with the reason otherwise; nothing is counted then.
    /// </summary>
    public async Task<Traced<bool>> AnswerAsync(ClassMembership membership, string? pollId, IReadOnlyCollection<int>? choices)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var id = RequirePollId(pollId);
        var picked = (choices ?? []).Distinct().Order().ToArray();
        if (picked.Length == 0)
        {
            throw new LearnerInputException("Pick an answer first.", nameof(choices));
        }

        if (picked.Length > MaxOptions)
        {
            throw new LearnerInputException($"A poll has at most {MaxOptions} options.", nameof(choices));
        }

        var recorder = tracer.Start("Answer the poll");
        RedisKey[] keys = [PollKey(membership.Code, id), AnswersKey(membership.Code, id), classes.ClassKey(membership.Code, "roster")];
        RedisValue[] args = [membership.Learner, classes.TtlSeconds, .. picked.Select(c => (RedisValue)c)];
        var result = (long)await classes.EvalAsync(recorder, AnswerScript, keys, args, ClassService.RedisResultText).ConfigureAwait(false);
        _ = result switch
        {
            -1 => throw new LearnerInputException("There is no such poll in your class.", nameof(pollId)),
            -2 => throw new LearnerInputException("This poll is closed: answers are no longer taken.", nameof(pollId)),
            -3 => throw new LearnerInputException("Only learners in the class can answer its poll.", nameof(membership)),
            -4 => throw new LearnerInputException("You already answered this poll: one answer per learner.", nameof(pollId)),
            -5 => throw new LearnerInputException("That is not one of the poll's options.", nameof(choices)),
            -6 => throw new LearnerInputException("This poll takes one answer: pick a single option.", nameof(choices)),
            _ => 0,
        };
        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.PollAnswered, membership.Code, membership.Learner, membership.Nickname, id, classes.Now)).ConfigureAwait(false);
        return new(true, recorder.Finish());
    }

    /// <summary>The teacher closes the poll: no more answers.</summary>
    public async Task<Traced<ClassPoll>> CloseAsync(string code, string? pollId)
    {
        ClassService.RequireCode(code);
        var id = RequirePollId(pollId);
        var recorder = tracer.Start("Close the poll");
        await classes.KeepAliveAsync(recorder, code).ConfigureAwait(false);
        var poll = await ReadAsync(recorder, code, id).ConfigureAwait(false) ?? throw NoSuchPoll();
        if (poll.State == PollState.Open)
        {
            await SetStateAsync(recorder, code, id, PollState.Closed, "").ConfigureAwait(false);
            await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.PollClosed, code, null, null, id, classes.Now)).ConfigureAwait(false);
            poll = poll with { State = PollState.Closed };
        }

        return new(poll, recorder.Finish());
    }

    /// <summary>The teacher reveals the right option(s); the poll closes. One right option for a single-choice poll.</summary>
    public async Task<Traced<ClassPoll>> RevealAsync(string code, string? pollId, IReadOnlyCollection<int>? correct)
    {
        ClassService.RequireCode(code);
        var id = RequirePollId(pollId);
        var right = (correct ?? []).Distinct().Order().ToArray();
        var recorder = tracer.Start("Reveal the answer");
        await classes.KeepAliveAsync(recorder, code).ConfigureAwait(false);
        var poll = await ReadAsync(recorder, code, id).ConfigureAwait(false) ?? throw NoSuchPoll();
        if (right.Length == 0)
        {
            throw new LearnerInputException("Mark the right answer first.", nameof(correct));
        }

        if (right.Any(i => i < 0 || i >= poll.Options.Count))
        {
            throw new LearnerInputException("That is not one of the poll's options.", nameof(correct));
        }

        if (!poll.Multiple && right.Length > 1)
        {
            throw new LearnerInputException("This poll takes one answer: mark a single right option.", nameof(correct));
        }

        await SetStateAsync(recorder, code, id, PollState.Revealed, JsonSerializer.Serialize(right, Json)).ConfigureAwait(false);
        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.PollRevealed, code, null, null, id, classes.Now)).ConfigureAwait(false);
        return new(poll with { State = PollState.Revealed, Correct = right }, recorder.Finish());
    }

    /// <summary>One poll with its tally (one HGETALL), or null.</summary>
    public Task<ClassPoll?> GetAsync(string code, string pollId)
    {
        ClassService.RequireCode(code);
        return ReadAsync(TraceRecorder.None, code, RequirePollId(pollId));
    }

    /// <summary>The class's latest poll (open or not), or null when it has none.</summary>
    public async Task<ClassPoll?> LatestAsync(string code)
    {
        ClassService.RequireCode(code);
        var id = await classes.RunAsync(db => db.HashGetAsync(classes.ClassKey(code, "meta"), "poll")).ConfigureAwait(false);
        return id.IsNull ? null : await ReadAsync(TraceRecorder.None, code, id!).ConfigureAwait(false);
    }

    /// <summary>Every poll of the class, newest first, with its tally.</summary>
    public async Task<Traced<IReadOnlyList<ClassPoll>>> ListAsync(string code)
    {
        ClassService.RequireCode(code);
        var recorder = tracer.Start("Read the class's polls");
        var db = classes.Db;
        var list = classes.ClassKey(code, "polls");
        var ids = await classes.TracedAsync(recorder, RedisCommandText.Format("LRANGE", list, 0, -1), () => db.ListRangeAsync(list), r => Wording.Count(r.Length, "poll")).ConfigureAwait(false);
        var polls = new List<ClassPoll>(ids.Length);
        foreach (var id in ids.Reverse())
        {
            if (await ReadAsync(recorder, code, id!).ConfigureAwait(false) is { } poll)
            {
                polls.Add(poll);
            }
        }

        return new(polls, recorder.Finish());
    }

    /// <summary>
    /// The learner hides the poll's card: remembered in the class (learner → the poll's state now), so a reload, another
    /// tab or another instance keeps it hidden, until the poll changes state (the teacher reveals the answer) and shows
    /// again. The record lives as long as the class's other keys.
    /// </summary>
    public async Task HideAsync(ClassMembership membership, ClassPoll poll)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(poll);
        var key = classes.ClassKey(membership.Code, HiddenName(RequirePollId(poll.Id)));
        var ttl = TimeSpan.FromSeconds(classes.TtlSeconds);
        await classes.RunAsync(db =>
        {
            var batch = db.CreateTransaction();
            _ = batch.HashSetAsync(key, membership.Learner, StateText(poll.State));
            _ = batch.KeyExpireAsync(key, ttl);
            return batch.ExecuteAsync();
        }).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="learner"/> hid <paramref name="poll"/>'s card in its present state.</summary>
    public async Task<bool> IsHiddenAsync(string code, ClassPoll poll, string learner)
    {
        ClassService.RequireCode(code);
        ArgumentNullException.ThrowIfNull(poll);
        var state = await classes.RunAsync(db => db.HashGetAsync(classes.ClassKey(code, HiddenName(RequirePollId(poll.Id))), learner)).ConfigureAwait(false);
        return state == StateText(poll.State);
    }

    /// <summary>What <paramref name="learner"/> answered (option indexes), or null when they have not.</summary>
    public async Task<IReadOnlyList<int>?> GetAnswerAsync(string code, string pollId, string learner)
    {
        ClassService.RequireCode(code);
        var value = await classes.RunAsync(db => db.HashGetAsync(AnswersKey(code, RequirePollId(pollId)), learner)).ConfigureAwait(false);
        return value.IsNull ? null : ((string)value!).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    }

    private async Task SetStateAsync(TraceRecorder recorder, string code, string id, PollState state, string correct) =>
        await classes.EvalAsync(recorder, SetStateScript, [PollKey(code, id)], [StateText(state), correct], ClassService.RedisResultText).ConfigureAwait(false);

    private async Task<ClassPoll?> ReadAsync(TraceRecorder recorder, string code, string id)
    {
        var db = classes.Db;
        var key = PollKey(code, id);
        var entries = await classes.TracedAsync(recorder, RedisCommandText.Format("HGETALL", key), () => db.HashGetAllAsync(key), e => Wording.Count(e.Length, "field")).ConfigureAwait(false);
        if (entries.Length == 0)
        {
            return null;
        }

        var h = entries.ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var options = JsonSerializer.Deserialize<string[]>(h.GetValueOrDefault("options", "[]"), Json) ?? [];
        var counts = Enumerable.Range(0, options.Length).Select(i => Long(h.GetValueOrDefault("c" + i.ToString(CultureInfo.InvariantCulture)))).ToArray();
        var state = h.GetValueOrDefault("state") switch
        {
            "closed" => PollState.Closed,
            "revealed" => PollState.Revealed,
            _ => PollState.Open,
        };
        return new ClassPoll(
            id,
            h.GetValueOrDefault("question", ""),
            options,
            h.GetValueOrDefault("multiple") == "1",
            state,
            JsonSerializer.Deserialize<int[]>(h.GetValueOrDefault("correct", "[]"), Json) ?? [],
            counts,
            Long(h.GetValueOrDefault("voters")),
            DateTimeOffset.FromUnixTimeMilliseconds(Long(h.GetValueOrDefault("openedAt"))));
    }

    private static long Long(string? s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string StateText(PollState state) => state switch
    {
        PollState.Closed => "closed",
        PollState.Revealed => "revealed",
        _ => "open",
    };

    private static LearnerInputException NoSuchPoll() => new("There is no such poll in this class.", "pollId");

    private static string RequirePollId(string? id) =>
        id is { Length: 8 } && id.All(char.IsAsciiHexDigitLower) ? id : throw NoSuchPoll();

    private static string CleanText(string? text, int max, string what, string param)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new LearnerInputException($"Write the {what} first: it is empty.", param);
        }

        var trimmed = text.Trim();
        if (trimmed.Length > max)
        {
            throw new LearnerInputException($"The {what} is too long: at most {max} characters (this one has {trimmed.Length}).", param);
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new LearnerInputException($"The {what} may not contain control characters (line breaks, tabs).", param);
        }

        return trimmed;
    }

    private static List<string> CleanOptions(IReadOnlyList<string?>? options)
    {
        var given = (options ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).ToList();
        if (options is { Count: > MaxOptions } || given.Count > MaxOptions)
        {
            throw new LearnerInputException($"A poll has at most {MaxOptions} options.", nameof(options));
        }

        if (given.Count < MinOptions)
        {
            throw new LearnerInputException($"A poll needs at least {MinOptions} options that are not empty.", nameof(options));
        }

        var cleaned = given.Select(o => CleanText(o, MaxOptionLength, "option", nameof(options))).ToList();
        if (cleaned.Distinct(StringComparer.CurrentCultureIgnoreCase).Count() != cleaned.Count)
        {
            throw new LearnerInputException("Two options say the same thing: make each option different.", nameof(options));
        }

        return cleaned;
    }
}
