using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// The teacher's "reset every learner's keys": every learner's demo, lab and workbench keys under
/// <c>{prefix}learner:</c>, with SCAN and UNLINK in batches (never KEYS), so Redis keeps serving the class while it runs.
/// Each learner's course progress and quiz answers (<c>{prefix}learner:{id}:course:progress</c>, kept for
/// <see cref="LessonOptions.ProgressDays"/>) stay, and so do the shared keys (the catalog).
/// </summary>
public sealed class LearnerKeysReset(KeyspaceJanitor janitor, RedisKeyspace keyspace)
{
    /// <summary>The areas of a learner's keyspace that are not demo keys and that the reset keeps.</summary>
    public static readonly IReadOnlySet<string> KeptAreas = new HashSet<string>(StringComparer.Ordinal) { LessonProgressStore.Area };

    /// <summary>The prefix every learner's keys start with.</summary>
    public string LearnersPrefix => keyspace.Prefix + "learner:";

    /// <summary>Deletes every learner's demo keys (not their course progress); returns how many and the commands it ran.</summary>
    public Task<Traced<long>> ResetEveryLearnerAsync() =>
        janitor.DeleteByPrefixAsync(LearnersPrefix, "Reset every learner's keys", key => IsKept(LearnersPrefix, key));

    /// <summary>
    /// True for a key the reset keeps: <c>{learners prefix}{{id}}:area:…</c> with an area of <see cref="KeptAreas"/>.
    /// Anything else under the learners' prefix (a demo, lab or workbench key, or a name of no known shape) is deleted.
    /// </summary>
    internal static bool IsKept(string learnersPrefix, string key)
    {
        var rest = key.AsSpan(learnersPrefix.Length);
        var idEnd = rest.IndexOf("}:", StringComparison.Ordinal);
        if (rest.Length == 0 || rest[0] != '{' || idEnd < 0)
        {
            return false;
        }

        var afterId = rest[(idEnd + 2)..];
        var areaEnd = afterId.IndexOf(':');
        return areaEnd > 0 && KeptAreas.Contains(afterId[..areaEnd].ToString());
    }
}
