using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// The teacher's "reset every learner's keys": every key under <c>{prefix}learner:</c>, with SCAN and UNLINK in
/// batches (never KEYS), so Redis keeps serving the class while it runs. Shared keys (the catalog) are left alone.
/// </summary>
public sealed class LearnerKeysReset(KeyspaceJanitor janitor, RedisKeyspace keyspace)
{
    /// <summary>The prefix every learner's keys start with.</summary>
    public string LearnersPrefix => keyspace.Prefix + "learner:";

    /// <summary>Deletes every learner's keys; returns how many and the commands it ran.</summary>
    public Task<Traced<long>> ResetEveryLearnerAsync() => janitor.DeleteByPrefixAsync(LearnersPrefix, "Reset every learner's keys");
}
