using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// The class's channel: short messages among the learners and the teacher over Redis pub/sub
/// (<c>PUBLISH {classroom}:chat:CODE</c>; each app instance subscribes once, see <see cref="ClassChannelHub"/>). The last
/// <see cref="HistoryLength"/> messages stay in a capped list (<c>{class:CODE}:chat</c>, RPUSH + LTRIM) so a learner who
/// joins late reads what was said. The teacher can mute a learner (the set <c>{class:CODE}:muted</c>); one script checks
/// membership and the mute and stores the message, so a post cannot slip in after its author was muted. Each learner's
/// posts go through the app's Redis rate limiter.
/// </summary>
public sealed class ClassChannel(ClassService classes, RedisKeyspace keyspace, IRateLimitService limiter, RedisTracer tracer)
{
    /// <summary>The longest message, in characters as a reader counts them (an emoji is one).</summary>
    public const int MaxLength = 280;

    /// <summary>How many messages the history keeps.</summary>
    public const int HistoryLength = 50;

    /// <summary>The author name of the teacher's messages.</summary>
    public const string TeacherName = "Teacher";

    /// <summary>Raw input longer than this is refused before any other work (a pasted page).</summary>
    private const int MaxRawLength = 4 * MaxLength;

    /// <summary>
    /// KEYS: meta, roster, muted, chat. ARGV: learner ('' for the teacher), message (JSON), history length, ttl (s).
    /// Returns -1 no such class, -2 not in the class, -3 muted, otherwise the history's length.
    /// </summary>
    public static readonly ClassScript PostScript = new("class-chat-post", """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        if ARGV[1] ~= '' then
          if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return -2 end
          if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then return -3 end
        end
        redis.call('RPUSH', KEYS[4], ARGV[2])
        redis.call('LTRIM', KEYS[4], -tonumber(ARGV[3]), -1)
        redis.call('EXPIRE', KEYS[4], ARGV[4])
        return redis.call('LLEN', KEYS[4])
        """);

    /// <summary>KEYS: roster, muted. ARGV: learner, ttl (s). Returns -1 not in the class, 0 already muted, 1 muted.</summary>
    public static readonly ClassScript MuteScript = new("class-chat-mute", """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
        local added = redis.call('SADD', KEYS[2], ARGV[1])
        redis.call('EXPIRE', KEYS[2], ARGV[2])
        return added
        """);

    /// <summary>The channels' common prefix, <c>{prefix}{classroom}:chat:</c> (the tag: see <see cref="ClassService.ChannelTag"/>).</summary>
    public string ChannelPrefix => (string)keyspace.Tagged(ClassService.ChannelTag, "chat")! + ":";

    /// <summary>The channel of one class's messages (on a cluster, sent to the node of its tag's slot).</summary>
    public RedisChannel Channel(string code) => RedisChannel.Literal(ChannelPrefix + code).WithKeyRouting();

    /// <summary>The pattern that matches every class's channel: an app instance subscribes to it once.</summary>
    public RedisChannel AllChannels => RedisChannel.Pattern(RedisKeyspace.PrefixPattern(ChannelPrefix)).WithKeyRouting();

    private RedisKey HistoryKey(string code) => classes.ClassKey(code, "chat");

    private RedisKey MutedKey(string code) => classes.ClassKey(code, "muted");

    /// <summary>
    /// A learner posts. Throws <see cref="LearnerInputException"/> with the reason (empty, too long, control or
    /// direction characters, muted, not in the class), <see cref="BudgetExceededException"/> with the wait when they
    /// post too fast (a 429 with Retry-After on the API), or <see cref="ClassNotFoundException"/>; nothing is stored or
    /// sent then.
    /// </summary>
    public async Task<Traced<ClassChannelMessage>> PostAsync(ClassMembership membership, string? text)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var clean = CleanMessage(text);
        var recorder = tracer.Start("Post to the class channel");
        var rule = new RateLimitRule(classes.Options.ChatPostLimit, TimeSpan.FromSeconds(classes.Options.ChatPostWindowSeconds));
        var decision = await limiter.CheckAsync(RateLimitAlgorithm.SlidingLog, "class-chat-" + membership.Learner, recorder, rule).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            var wait = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
            throw new BudgetExceededException(
                $"You are posting too fast: at most {rule.PermitLimit} messages every {classes.Options.ChatPostWindowSeconds} s. Try again in {wait} s.",
                TimeSpan.FromSeconds(wait));
        }

        var message = new ClassChannelMessage(NewId(), membership.Code, membership.Learner, membership.Nickname, clean, classes.Now);
        return await StoreAndPublishAsync(recorder, message).ConfigureAwait(false);
    }

    /// <summary>The teacher posts (not rate-limited, never muted). The same text rules as a learner's.</summary>
    public async Task<Traced<ClassChannelMessage>> PostAsTeacherAsync(string code, string? text)
    {
        ClassService.RequireCode(code);
        var clean = CleanMessage(text);
        var recorder = tracer.Start("Post to the class channel");
        await classes.KeepAliveAsync(recorder, code).ConfigureAwait(false);
        var message = new ClassChannelMessage(NewId(), code, null, TeacherName, clean, classes.Now);
        return await StoreAndPublishAsync(recorder, message).ConfigureAwait(false);
    }

    /// <summary>The last <see cref="HistoryLength"/> messages, oldest first (one LRANGE).</summary>
    public async Task<Traced<IReadOnlyList<ClassChannelMessage>>> HistoryAsync(string code)
    {
        ClassService.RequireCode(code);
        var recorder = tracer.Start("Read the class channel's history");
        var db = classes.Db;
        var key = HistoryKey(code);
        var entries = await classes.TracedAsync(recorder, RedisCommandText.Format("LRANGE", key, 0, -1), () => db.ListRangeAsync(key), r => Wording.Count(r.Length, "message")).ConfigureAwait(false);
        IReadOnlyList<ClassChannelMessage> messages = [.. entries.Select(e => ClassChannelMessage.TryParse(e)).OfType<ClassChannelMessage>()];
        return new(messages, recorder.Finish());
    }

    /// <summary>The teacher mutes a learner: their next post is refused until unmuted. Throws when they are not in the class.</summary>
    public async Task<Traced<bool>> MuteAsync(string code, string learner)
    {
        ClassService.RequireCode(code);
        ClassService.RequireLearner(learner);
        var recorder = tracer.Start("Mute a learner");
        RedisKey[] keys = [classes.ClassKey(code, "roster"), MutedKey(code)];
        var result = (long)await classes.EvalAsync(recorder, MuteScript, keys, [learner, classes.TtlSeconds], ClassService.RedisResultText).ConfigureAwait(false);
        if (result < 0)
        {
            throw new LearnerInputException("This learner is no longer in the class.", nameof(learner));
        }

        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.Muted, code, learner, await NicknameAsync(code, learner).ConfigureAwait(false), null, classes.Now)).ConfigureAwait(false);
        return new(result == 1, recorder.Finish());
    }

    /// <summary>The teacher lets a muted learner post again (SREM).</summary>
    public async Task<Traced<bool>> UnmuteAsync(string code, string learner)
    {
        ClassService.RequireCode(code);
        ClassService.RequireLearner(learner);
        var recorder = tracer.Start("Unmute a learner");
        var db = classes.Db;
        var key = MutedKey(code);
        var removed = await classes.TracedAsync(recorder, RedisCommandText.Format("SREM", key, learner), () => db.SetRemoveAsync(key, learner), RedisCommandText.Flag).ConfigureAwait(false);
        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.Unmuted, code, learner, await NicknameAsync(code, learner).ConfigureAwait(false), null, classes.Now)).ConfigureAwait(false);
        return new(removed, recorder.Finish());
    }

    /// <summary>The muted learners' ids (SMEMBERS).</summary>
    public async Task<IReadOnlySet<string>> MutedAsync(string code)
    {
        ClassService.RequireCode(code);
        var members = await classes.RunAsync(db => db.SetMembersAsync(MutedKey(code))).ConfigureAwait(false);
        return members.Select(m => (string)m!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="learner"/> is muted (SISMEMBER).</summary>
    public Task<bool> IsMutedAsync(string code, string learner)
    {
        ClassService.RequireCode(code);
        ClassService.RequireLearner(learner);
        return classes.RunAsync(db => db.SetContainsAsync(MutedKey(code), learner));
    }

    /// <summary>
    /// The rules a message follows: not empty; at most <see cref="MaxLength"/> characters after trimming; no control
    /// characters (one line); no characters that change the text direction (they can make a message read as something it
    /// is not) and no invisible ones, by the shared rule (<see cref="HiddenCharacters"/>, which names the character); no
    /// broken characters. &lt; and &gt; are fine: pages render a message as text. Returns the trimmed text or
    /// throws <see cref="LearnerInputException"/> with the reason.
    /// </summary>
    public static string CleanMessage(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new LearnerInputException("Write a message first: it is empty.", nameof(text));
        }

        if (text.Length > MaxRawLength)
        {
            throw new LearnerInputException($"A message is at most {MaxLength} characters.", nameof(text));
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new LearnerInputException("The message holds a broken character; type it again.", nameof(text));
            }

            if (char.IsControl(c))
            {
                throw new LearnerInputException("A message cannot hold control characters such as line breaks or tabs: keep it to one line.", nameof(text));
            }
        }

        if (HiddenCharacters.Problem(text, "A message") is { } hidden)
        {
            throw new LearnerInputException(hidden, nameof(text));
        }

        var trimmed = text.Normalize(NormalizationForm.FormC).Trim();
        var length = new StringInfo(trimmed).LengthInTextElements;
        if (length > MaxLength)
        {
            throw new LearnerInputException($"A message is at most {MaxLength} characters (this one has {length}).", nameof(text));
        }

        return trimmed;
    }

    private async Task<Traced<ClassChannelMessage>> StoreAndPublishAsync(TraceRecorder recorder, ClassChannelMessage message)
    {
        var code = message.Code;
        var json = message.ToJson();
        RedisKey[] keys = [classes.ClassKey(code, "meta"), classes.ClassKey(code, "roster"), MutedKey(code), HistoryKey(code)];
        RedisValue[] args = [message.Learner ?? "", json, HistoryLength, classes.TtlSeconds];
        var result = (long)await classes.EvalAsync(recorder, PostScript, keys, args, ClassService.RedisResultText).ConfigureAwait(false);
        _ = result switch
        {
            -1 => throw new ClassNotFoundException(),
            -2 => throw new LearnerInputException("Only learners in the class can post on its channel.", nameof(message)),
            -3 => throw new LearnerInputException("The teacher muted you on the class channel: your message was not sent.", nameof(message)),
            _ => 0,
        };

        var db = classes.Db;
        var channel = Channel(code);
        await classes.TracedAsync(
            recorder,
            RedisCommandText.Format("PUBLISH", ChannelPrefix + code, json),
            () => db.PublishAsync(channel, json),
            n => Wording.Count(n, "subscriber") + " (app instances) received it").ConfigureAwait(false);
        return new(message, recorder.Finish());
    }

    private async Task<string?> NicknameAsync(string code, string learner) =>
        await classes.RunAsync(db => db.HashGetAsync(classes.ClassKey(code, "roster"), learner)).ConfigureAwait(false) is { IsNull: false } name ? (string?)name : null;

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
