using System.Text;
using BlazorRedis.Core.Keys;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// One learner's console: their key space, a MULTI being queued, and a cached count of their keys and of their memory. Lines of one session run one at a time (a console is typed in order).
/// </summary>
public sealed class WorkbenchSession : IDisposable
{
    /// <summary>Keys with a TTL of the learner's own that the workbench remembers per learner (past it, the sliding TTL wins).</summary>
    internal const int MaxOwnTtlKeys = 10_000;

    internal WorkbenchSession(LearnerKeyspace keys)
    {
        Keys = keys;
        Prefix = WorkbenchKeyRewriter.PrefixOf(keys);
        PrefixBytes = Encoding.UTF8.GetBytes(Prefix);
    }

    /// <summary>The learner's keyspace.</summary>
    public LearnerKeyspace Keys { get; }

    /// <summary>Whose console this is.</summary>
    public LearnerId Learner => Keys.Learner;

    /// <summary>The prefix every key of the learner's workbench gets: <c>br:learner:{id}:wb:</c>.</summary>
    public string Prefix { get; }

    /// <summary>True between MULTI and EXEC or DISCARD.</summary>
    public bool InMulti { get; internal set; }

    /// <summary>How many commands the open MULTI has queued.</summary>
    public int QueuedCount => Queue.Count;

    internal byte[] PrefixBytes { get; }

    internal List<WorkbenchCommand> Queue { get; } = [];

    // A queued line failed: EXEC answers EXECABORT, as Redis does.
    internal bool Dirty { get; set; }

    // The learner's key count as last counted, plus the keys written since (an upper bound; null: not counted yet).
    internal long? KnownKeys { get; set; }

    // The learner's memory as last measured, plus what each write since may add (an upper bound; null: not measured yet).
    internal long? KnownBytes { get; set; }

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>
    /// A message arrived on one of the learner's subscriptions, printed as redis-cli prints it
    /// (<c>1) "message" 2) "news" 3) "hello"</c>). Raised on a thread of the Redis client.
    /// </summary>
    public event Action<WorkbenchReply>? MessageReceived;

    /// <summary>The channels (and patterns) the console listens to, in the learner's names.</summary>
    public IReadOnlyCollection<string> Subscriptions
    {
        get
        {
            lock (Subscribed)
            {
                return [.. Subscribed.Keys.Select(k => k.Pattern ? k.Name + " (pattern)" : k.Name)];
            }
        }
    }

    // (learner's name, pattern?) → the channel subscribed on the app's subscriber.
    // Each with its own handler: another console on the same channel keeps listening when this one stops.
    internal Dictionary<(string Name, bool Pattern), (StackExchange.Redis.RedisChannel Channel, Action<StackExchange.Redis.RedisChannel, StackExchange.Redis.RedisValue> Handler)> Subscribed { get; } = [];

    // Unsubscribes what is left when the console closes (set by the executor that subscribed).
    internal Action<WorkbenchSession>? OnDispose { get; set; }

    internal void Deliver(WorkbenchReply message) => MessageReceived?.Invoke(message);

    // True once the console closed: a subscription that completes after it is ended at once.
    internal bool IsDisposed { get; private set; }

    /// <inheritdoc/>
    /// <remarks>
    /// The gate is left undisposed: a line still running when the learner leaves releases it as it ends (a
    /// <see cref="SemaphoreSlim"/> whose wait handle was never asked for holds nothing to free).
    /// </remarks>
    public void Dispose()
    {
        IsDisposed = true;
        OnDispose?.Invoke(this);
        OnDispose = null;
        MessageReceived = null;
    }
}
