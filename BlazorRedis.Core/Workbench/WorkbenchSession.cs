using System.Text;
using BlazorRedis.Core.Keys;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// One learner's console: their key space, a MULTI being queued, the keys they gave a TTL of their own, and a cached
/// count of their keys. Lines of one session run one at a time (a console is typed in order).
/// </summary>
public sealed class WorkbenchSession : IDisposable
{
    /// <summary>Keys with a TTL of the learner's own that the session remembers (past it, the sliding TTL wins).</summary>
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

    // Keys (prefixed, base64) whose TTL the learner set: the sliding TTL only fills in when they have none.
    internal HashSet<string> OwnTtl { get; } = new(StringComparer.Ordinal);

    // The learner's key count as last counted, plus the keys written since (an upper bound; null: not counted yet).
    internal long? KnownKeys { get; set; }

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <inheritdoc/>
    public void Dispose() => Gate.Dispose();
}
