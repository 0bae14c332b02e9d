using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.PubSub;

/// <summary>
/// Redis Pub/Sub on the app's shared connection, every channel under the app prefix, plus a journal stream that
/// keeps a copy of each message for consumer groups: fire-and-forget next to a log that remembers.
/// </summary>
public interface IPubSubService
{
    /// <summary>What every channel name starts with on the server, e.g. <c>br:{pubsub}:</c>.</summary>
    string ChannelPrefix { get; }

    /// <summary>The journal stream's key.</summary>
    string JournalKey { get; }

    /// <summary>PUBLISHes <paramref name="message"/> on <paramref name="channel"/> and appends a copy to the journal stream.</summary>
    /// <exception cref="ArgumentException">The channel or message breaks a rule.</exception>
    Task<Traced<PublishResult>> PublishAsync(string channel, string message);

    /// <summary>
    /// Subscribes to a channel (SUBSCRIBE) or a pattern such as <c>orders.*</c> (PSUBSCRIBE). Messages reach
    /// <paramref name="onMessage"/> in order, on a background thread.
    /// </summary>
    Task<Traced<IPubSubSubscription>> SubscribeAsync(string name, bool isPattern, Func<PubSubMessage, Task> onMessage);

    /// <summary>Unsubscribes (the handler goes offline and misses whatever is published meanwhile).</summary>
    Task<OperationTrace> UnsubscribeAsync(IPubSubSubscription subscription);

    /// <summary>Creates a consumer group on the journal that starts at the newest entry; false when it already exists.</summary>
    Task<Traced<bool>> CreateGroupAsync(string group);

    /// <summary>Reads, as <paramref name="consumer"/> of <paramref name="group"/>, the entries the group has not been given yet.</summary>
    Task<Traced<IReadOnlyList<JournalEntry>>> ReadGroupAsync(string group, string consumer, int count = 100);

    /// <summary>Acknowledges entries (one XACK per 100 ids), removing them from the group's pending list; returns how many were pending.</summary>
    Task<Traced<long>> AckAsync(string group, IReadOnlyCollection<string> ids);

    /// <summary>The group's pending count and the journal's length.</summary>
    Task<Traced<GroupStatus>> GroupStatusAsync(string group);

    /// <summary>Deletes the consumer group (its position and pending list); false when it or the journal is already gone.</summary>
    Task<Traced<bool>> DeleteGroupAsync(string group);

    /// <summary>The name of <paramref name="learner"/>'s own consumer group on the journal.</summary>
    string GroupOf(LearnerId learner);

    /// <summary>
    /// Creates <paramref name="learner"/>'s group (false when it exists: it keeps its position) and records it among the
    /// learner's keys, with their TTL: the journal is shared, so the group itself cannot expire with them.
    /// </summary>
    Task<Traced<bool>> JoinGroupAsync(LearnerId learner);

    /// <summary>Deletes <paramref name="learner"/>'s group and its record (the learner's pub/sub keys); true when the group existed.</summary>
    Task<Traced<bool>> LeaveGroupAsync(LearnerId learner);

    /// <summary>
    /// Deletes every learner group on the journal whose record among the learner's keys is gone (expired or deleted),
    /// so groups do not pile up on the shared journal; returns how many went.
    /// </summary>
    Task<int> RemoveAbandonedGroupsAsync(CancellationToken cancellationToken = default);
}
