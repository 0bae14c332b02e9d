using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.PubSub;

/// <summary>
/// Pub/Sub on the shared multiplexer's <see cref="ISubscriber"/>. StackExchange.Redis keeps one subscription
/// connection per server and sends SUBSCRIBE for a channel only once, however many handlers listen: each handler
/// here is a <see cref="ChannelMessageQueue"/> (messages in order), and unsubscribing removes that handler alone.
/// Channel names are explicit: <see cref="RedisChannel.Literal(string)"/> or <see cref="RedisChannel.Pattern(string)"/>,
/// never the implicit auto-pattern conversion from a string. Every channel starts with <c>{prefix}{pubsub}:</c>: on a Redis
/// Cluster the client sends SUBSCRIBE, PSUBSCRIBE and PUBLISH to the node that owns the channel's hash slot, and PUBLISH
/// counts only the receivers connected to that node; the one <c>{pubsub}</c> tag puts every channel and pattern on one
/// node (each channel is sent <see cref="RedisChannel.WithKeyRouting"/>: by default StackExchange.Redis routes a channel
/// to any node), so the receiver count a learner sees is whole there too.
/// </summary>
public sealed class RedisPubSubService : IPubSubService
{
    private readonly IConnectionMultiplexer _mux;
    private readonly RedisTracer _tracer;
    private readonly TimeProvider _time;
    private readonly PubSubOptions _options;
    private readonly RedisKeyspace _keys;
    private readonly RedisCommandBudget _budget;

    /// <summary>
    /// KEYS: the journal. ARGV: channel, message, most entries, most bytes, TTL seconds. Appends the message (XADD
    /// MAXLEN ~ keeps the count near its bound) with its size and the running total of bytes ever appended, then
    /// deletes the oldest entries while the entries held add up to more than the byte budget, so a burst of large
    /// messages cannot grow the journal past it; the newest entry always stays. Returns the new entry's id.
    /// </summary>
    internal const string JournalAppendScript =
        "local size = string.len(ARGV[1]) + string.len(ARGV[2]) " +
        "local function sizes(fields) local b, t = 0, 0 " +
        "for i = 1, #fields, 2 do if fields[i] == 'bytes' then b = tonumber(fields[i + 1]) elseif fields[i] == 'total' then t = tonumber(fields[i + 1]) end end " +
        "return b, t end " +
        "local total = size " +
        "local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1) " +
        "if #last > 0 then local _, t = sizes(last[1][2]) total = t + size end " +
        "local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'channel', ARGV[1], 'message', ARGV[2], 'bytes', size, 'total', total) " +
        "while true do " +
        "local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1] " +
        "if first[1] == id then break end " +
        "local b, t = sizes(first[2]) " +
        "if total - (t - b) <= tonumber(ARGV[4]) then break end " +
        "redis.call('XDEL', KEYS[1], first[1]) " +
        "end " +
        "redis.call('EXPIRE', KEYS[1], ARGV[5]) " +
        "return id";

    public RedisPubSubService(IConnectionMultiplexer mux, RedisKeyspace keys, RedisTracer tracer, TimeProvider time, IOptions<PubSubOptions> options, RedisCommandBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _tracer = tracer ?? throw new ArgumentNullException(nameof(tracer));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options.Value;
        _keys = keys;
        _budget = budget ?? new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(RedisCommandBudget.DefaultMilliseconds));
        ChannelPrefix = $"{keys.Tagged(HashTag)}:";
        JournalKey = keys.Key("pubsub", "journal").ToString();
    }

    /// <summary>The hash tag every channel carries.</summary>
    public const string HashTag = "pubsub";

    /// <inheritdoc/>
    public string ChannelPrefix { get; }

    /// <inheritdoc/>
    public string JournalKey { get; }

    private IDatabase Db => _mux.GetDatabase();

    /// <inheritdoc/>
    public async Task<Traced<PublishResult>> PublishAsync(string channel, string message)
    {
        PubSubValidation.ValidateName(channel, isPattern: false, nameof(channel));
        PubSubValidation.ValidateMessage(message, nameof(message));
        var full = ChannelPrefix + channel;
        _budget.EnsureConnected();
        var recorder = _tracer.Start("Publish");
        var db = Db;
        var maxLength = _options.JournalMaxLength;
        var maxBytes = _options.JournalMaxKilobytes * 1024L;
        var ttl = (long)TimeSpan.FromHours(_options.JournalTtlHours).TotalSeconds;

        // Issued together, so StackExchange.Redis pipelines them: one network flush, two replies.
        var publish = recorder.RunAsync(
            RedisCommandText.Format("PUBLISH", full, message),
            $"await db.PublishAsync(RedisChannel.Literal({RedisCommandText.CSharpString(full)}).WithKeyRouting(), {RedisCommandText.CSharpString(message)}); // on a cluster: to the node of the channel's slot",
            () => _budget.RunAsync(() => db.PublishAsync(RedisChannel.Literal(full).WithKeyRouting(), message)),
            n => RedisCommandText.IntegerReply(n) + (n == 1 ? " receiver" : " receivers"));
        var append = recorder.RunAsync(
            RedisCommandText.Format("EVAL", JournalAppendScript, 1, JournalKey, channel, message, maxLength, maxBytes, ttl),
            $"var id = await db.ScriptEvaluateAsync({RedisCommandText.CSharpLiteral(JournalAppendScript)}, [{RedisCommandText.CSharpString(JournalKey)}], [{RedisCommandText.CSharpString(channel)}, {RedisCommandText.CSharpString(message)}, {maxLength}, {maxBytes}L, {ttl}]); // XADD, trim to the byte budget, EXPIRE",
            () => _budget.RunAsync(() => db.ScriptEvaluateAsync(JournalAppendScript, [JournalKey], [channel, message, maxLength, maxBytes, ttl])),
            id => RedisCommandText.Reply((RedisValue)id));
        // Awaited together, so a timeout of one leaves no other unobserved.
        await Task.WhenAll(publish, append).ConfigureAwait(false);
        var receivers = await publish.ConfigureAwait(false);
        var journalId = await append.ConfigureAwait(false);
        return new Traced<PublishResult>(new PublishResult(channel, full, receivers, journalId.ToString()), recorder.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IPubSubSubscription>> SubscribeAsync(string name, bool isPattern, Func<PubSubMessage, Task> onMessage)
    {
        PubSubValidation.ValidateName(name, isPattern, nameof(name));
        ArgumentNullException.ThrowIfNull(onMessage);
        var full = ChannelPrefix + name;
        var channel = (isPattern ? RedisChannel.Pattern(full) : RedisChannel.Literal(full)).WithKeyRouting();
        var command = isPattern ? "PSUBSCRIBE" : "SUBSCRIBE";
        var recorder = _tracer.Start(isPattern ? "Subscribe to a pattern" : "Subscribe to a channel");
        var subscriber = _mux.GetSubscriber();
        Task<ChannelMessageQueue>? subscribing = null;
        ChannelMessageQueue queue;
        try
        {
            queue = await recorder.RunAsync(
                RedisCommandText.Format(command, full),
                $"(await sub.SubscribeAsync(RedisChannel.{(isPattern ? "Pattern" : "Literal")}({RedisCommandText.CSharpString(full)}).WithKeyRouting())).OnMessage(m => Console.WriteLine($\"{{m.Channel}}: {{m.Message}}\"));",
                () => _budget.RunAsync(() => subscribing = subscriber.SubscribeAsync(channel)),
                _ => "subscribed").ConfigureAwait(false);
        }
        catch when (subscribing is { } late)
        {
            // The budget gave up, but StackExchange.Redis registered the queue before it asked the server: once the
            // server answers, remove it, or it would collect messages forever and be subscribed again on reconnect.
            _ = late.ContinueWith(
                static t => t.IsCompletedSuccessfully ? t.Result.UnsubscribeAsync() : Task.CompletedTask,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default).Unwrap().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw;
        }

        var subscription = new Subscription(queue, name, full, isPattern);
        queue.OnMessage(async m =>
        {
            var from = m.Channel.ToString();
            var shortName = from.StartsWith(ChannelPrefix, StringComparison.Ordinal) ? from[ChannelPrefix.Length..] : from;
            await onMessage(new PubSubMessage(shortName, from, m.Message.ToString(), _time.GetUtcNow(), isPattern ? full : null)).ConfigureAwait(false);
        });
        return new Traced<IPubSubSubscription>(subscription, NoteSharedSubscription(recorder.Finish(), command, unsubscribing: false));
    }

    /// <inheritdoc/>
    public async Task<OperationTrace> UnsubscribeAsync(IPubSubSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var command = subscription.IsPattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE";
        var recorder = _tracer.Start("Go offline (unsubscribe)");
        if (subscription is Subscription { IsActive: true } own)
        {
            await recorder.RunAsync(
                RedisCommandText.Format(command, subscription.FullName),
                "static Task GoOfflineAsync(ChannelMessageQueue queue) => queue.UnsubscribeAsync(); // the queue SubscribeAsync returned: removes this handler; the last one out sends the command",
                own.UnsubscribeAsync,
                "unsubscribed").ConfigureAwait(false);
        }

        return NoteSharedSubscription(recorder.Finish(), command, unsubscribing: true);
    }

    /// <inheritdoc/>
    public async Task<Traced<bool>> CreateGroupAsync(string group)
    {
        PubSubValidation.ValidateName(group, isPattern: false, nameof(group));
        var recorder = _tracer.Start("Create the consumer group");
        try
        {
            var created = await recorder.RunAsync(
                RedisCommandText.Format("XGROUP", "CREATE", JournalKey, group, "$", "MKSTREAM"),
                $"await db.StreamCreateConsumerGroupAsync({RedisCommandText.CSharpString(JournalKey)}, {RedisCommandText.CSharpString(group)}, StreamPosition.NewMessages, createStream: true);",
                () => _budget.RunAsync(() => Db.StreamCreateConsumerGroupAsync(JournalKey, group, StreamPosition.NewMessages, createStream: true)),
                ok => ok ? "OK" : "(error)").ConfigureAwait(false);
            return new Traced<bool>(created, recorder.Finish());
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already: it keeps its position, which is the point of a consumer group.
            return new Traced<bool>(false, recorder.Finish());
        }
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<JournalEntry>>> ReadGroupAsync(string group, string consumer, int count = 100)
    {
        PubSubValidation.ValidateName(group, isPattern: false, nameof(group));
        PubSubValidation.ValidateName(consumer, isPattern: false, nameof(consumer));
        if (count is < 1 or > 1000)
        {
            throw new LearnerInputException("Read between 1 and 1000 entries at a time.", nameof(count));
        }

        var recorder = _tracer.Start("Read what the group has not seen");
        var entries = await recorder.RunAsync(
            RedisCommandText.Format("XREADGROUP", "GROUP", group, consumer, "COUNT", count, "STREAMS", JournalKey, ">"),
            $"await db.StreamReadGroupAsync({RedisCommandText.CSharpString(JournalKey)}, {RedisCommandText.CSharpString(group)}, {RedisCommandText.CSharpString(consumer)}, StreamPosition.NewMessages, count: {count});",
            () => _budget.RunAsync(() => Db.StreamReadGroupAsync(JournalKey, group, consumer, StreamPosition.NewMessages, count)),
            e => e.Length == 0 ? "(empty array)" : Wording.Count(e.Length, "entry", "entries")).ConfigureAwait(false);
        IReadOnlyList<JournalEntry> list = [.. entries.Select(ToEntry)];
        return new Traced<IReadOnlyList<JournalEntry>>(list, recorder.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> AckAsync(string group, IReadOnlyCollection<string> ids)
    {
        PubSubValidation.ValidateName(group, isPattern: false, nameof(group));
        ArgumentNullException.ThrowIfNull(ids);
        var recorder = _tracer.Start("Acknowledge");
        if (ids.Count == 0)
        {
            return new Traced<long>(0, recorder.Finish());
        }

        // In batches: the page may hold hundreds of ids, and one XACK with all of them is one long command.
        long acked = 0;
        foreach (var batch in ids.Chunk(MaxAckBatch))
        {
            var values = batch.Select(i => (RedisValue)i).ToArray();
            acked += await recorder.RunAsync(
                RedisCommandText.Format("XACK", [JournalKey, group, .. batch]),
                $"await db.StreamAcknowledgeAsync({RedisCommandText.CSharpString(JournalKey)}, {RedisCommandText.CSharpString(group)}, {RedisCommandText.CSharpArray("RedisValue", batch)});",
                () => _budget.RunAsync(() => Db.StreamAcknowledgeAsync(JournalKey, group, values)),
                RedisCommandText.IntegerReply).ConfigureAwait(false);
        }

        return new Traced<long>(acked, recorder.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<GroupStatus>> GroupStatusAsync(string group)
    {
        PubSubValidation.ValidateName(group, isPattern: false, nameof(group));
        var recorder = _tracer.Start("Group status");
        var db = Db;
        var length = await recorder.RunAsync(
            RedisCommandText.Format("XLEN", JournalKey),
            $"await db.StreamLengthAsync({RedisCommandText.CSharpString(JournalKey)});",
            () => _budget.RunAsync(() => db.StreamLengthAsync(JournalKey)),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        long pending = 0;
        if (length > 0)
        {
            var info = await recorder.RunAsync(
                RedisCommandText.Format("XPENDING", JournalKey, group),
                $"await db.StreamPendingAsync({RedisCommandText.CSharpString(JournalKey)}, {RedisCommandText.CSharpString(group)});",
                () => _budget.RunAsync(() => db.StreamPendingAsync(JournalKey, group)),
                p => RedisCommandText.IntegerReply(p.PendingMessageCount) + " pending").ConfigureAwait(false);
            pending = info.PendingMessageCount;
        }

        return new Traced<GroupStatus>(new GroupStatus(group, pending, length), recorder.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<bool>> DeleteGroupAsync(string group)
    {
        PubSubValidation.ValidateName(group, isPattern: false, nameof(group));
        var recorder = _tracer.Start("Delete the consumer group");
        var deleted = await recorder.RunAsync(
            RedisCommandText.Format("XGROUP", "DESTROY", JournalKey, group),
            $"await db.StreamDeleteConsumerGroupAsync({RedisCommandText.CSharpString(JournalKey)}, {RedisCommandText.CSharpString(group)});",
            async () =>
            {
                try
                {
                    return await Db.StreamDeleteConsumerGroupAsync(JournalKey, group).ConfigureAwait(false);
                }
                catch (RedisServerException ex) when (JournalGroupErrors.IsGone(ex))
                {
                    // The journal expired, and its groups with it: there is nothing left to delete.
                    return false;
                }
            },
            RedisCommandText.Flag).ConfigureAwait(false);
        return new Traced<bool>(deleted, recorder.Finish());
    }

    /// <summary>The most ids one XACK carries: a longer list goes in several.</summary>
    public const int MaxAckBatch = 100;

    /// <summary>What every learner group's name starts with.</summary>
    public const string LearnerGroupPrefix = "learner-";

    /// <summary>The demo area of the learner's pub/sub keys (the record of their group).</summary>
    public const string Area = "pubsub";

    /// <inheritdoc/>
    public string GroupOf(LearnerId learner) => LearnerGroupPrefix + learner.Value;

    /// <summary>The learner key that says the learner's group is in use; the group goes when it goes.</summary>
    public RedisKey GroupRecordKey(LearnerId learner) => _keys.ForLearner(learner).Key(Area, "group");

    /// <inheritdoc/>
    public async Task<Traced<bool>> JoinGroupAsync(LearnerId learner)
    {
        var joined = await CreateGroupAsync(GroupOf(learner)).ConfigureAwait(false);
        var recorder = _tracer.Start(joined.Trace.Operation);
        var key = GroupRecordKey(learner);
        var ttl = _keys.LearnerKeyTtl;
        await recorder.RunAsync(
            RedisCommandText.Format("SETEX", key, (long)ttl.TotalSeconds, JournalKey),
            $"await db.StringSetAsync({RedisCommandText.CSharpString(key)}, {RedisCommandText.CSharpString(JournalKey)}, TimeSpan.FromSeconds({(long)ttl.TotalSeconds})); // sent as SETEX",
            () => Db.StringSetAsync(key, JournalKey, TimeSpan.FromSeconds((long)ttl.TotalSeconds)),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        return new Traced<bool>(joined.Value, OperationTrace.Combine(joined.Trace.Operation, joined.Trace, recorder.Finish()));
    }

    /// <inheritdoc/>
    public async Task<Traced<bool>> LeaveGroupAsync(LearnerId learner)
    {
        var deleted = await DeleteGroupAsync(GroupOf(learner)).ConfigureAwait(false);
        var recorder = _tracer.Start("Leave the group");
        var key = GroupRecordKey(learner);
        await recorder.RunAsync(
            RedisCommandText.Format("UNLINK", key),
            $"await db.KeyDeleteAsync({RedisCommandText.CSharpString(key)}); // sent as UNLINK",
            () => Db.KeyDeleteAsync(key),
            RedisCommandText.Flag).ConfigureAwait(false);
        return new Traced<bool>(deleted.Value, OperationTrace.Combine("Leave the group", deleted.Trace, recorder.Finish()));
    }

    /// <inheritdoc/>
    public async Task<int> RemoveAbandonedGroupsAsync(CancellationToken cancellationToken = default)
    {
        var db = Db;
        StreamGroupInfo[] groups;
        try
        {
            groups = await db.StreamGroupInfoAsync(JournalKey).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (JournalGroupErrors.IsGone(ex))
        {
            return 0;
        }

        var removed = 0;
        foreach (var group in groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (group.Name is not { } name
                || !name.StartsWith(LearnerGroupPrefix, StringComparison.Ordinal)
                || !LearnerId.TryParse(name[LearnerGroupPrefix.Length..], out var learner)
                || await db.KeyExistsAsync(GroupRecordKey(learner)).ConfigureAwait(false))
            {
                continue;
            }

            if (await db.StreamDeleteConsumerGroupAsync(JournalKey, name).ConfigureAwait(false))
            {
                removed++;
            }
        }

        return removed;
    }

    private JournalEntry ToEntry(StreamEntry e)
    {
        var id = e.Id.ToString();
        var ms = long.TryParse(id.Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : 0;
        return new JournalEntry(id, e["channel"].ToString(), e["message"].ToString(), DateTimeOffset.FromUnixTimeMilliseconds(ms));
    }

    /// <summary>
    /// When this app's connection already listened (or still listens) to the channel, StackExchange.Redis sends
    /// nothing: the trace says so instead of pretending a command went out.
    /// </summary>
    private static OperationTrace NoteSharedSubscription(OperationTrace trace, string command, bool unsubscribing)
    {
        if (trace.Commands.Count == 0 || trace.Commands.Any(c => c.Failed || c.Wire.Any(w => w.Name == command)))
        {
            return trace;
        }

        var note = unsubscribing
            ? "no command sent: other handlers on this app's connection still listen"
            : "no command sent: this app's connection already listens, the new handler shares it";
        return trace with { Commands = [.. trace.Commands.Select(c => c with { Result = note })] };
    }

    private sealed class Subscription(ChannelMessageQueue queue, string name, string fullName, bool isPattern) : IPubSubSubscription
    {
        private int _active = 1;

        public string Name { get; } = name;

        public string FullName { get; } = fullName;

        public bool IsPattern { get; } = isPattern;

        public bool IsActive => Volatile.Read(ref _active) == 1;

        public async Task UnsubscribeAsync()
        {
            if (Interlocked.Exchange(ref _active, 0) == 1)
            {
                try
                {
                    await queue.UnsubscribeAsync().ConfigureAwait(false);
                }
                catch
                {
                    // Still subscribed (Redis could not be told): active again, so a retry or the page closing releases it.
                    Volatile.Write(ref _active, 1);
                    throw;
                }
            }
        }

        /// <summary>
        /// Releases the handler for sure, and never throws for Redis being away: a page closing while Redis is down,
        /// or connected but not answering (the UNSUBSCRIBE times out), must not keep the others from being released.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                await UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                // StackExchange.Redis removes the handler from the multiplexer before it asks the server: the client
                // holds nothing of it any more, delivers it nothing and will not subscribe it again on a reconnect. The
                // server drops the channel when the late UNSUBSCRIBE reaches it or the connection closes. Nothing is
                // left to release, so nothing to retry.
                Volatile.Write(ref _active, 0);
            }
        }
    }
}
