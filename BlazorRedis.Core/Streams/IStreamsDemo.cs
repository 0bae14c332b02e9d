using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Streams;

/// <summary>
/// A sensor log on a Redis stream (<c>…:streams:sensor</c>): appends, range reads, a polling tail, and a
/// consumer group whose consumers share the work. Every call returns the commands it ran.
/// </summary>
public interface IStreamsDemo : IDataStructureDemo
{
    /// <summary>XADD with <c>*</c> (Redis picks the id from its clock), capped at about <see cref="StreamsDemoService.MaxLength"/> entries.</summary>
    Task<Traced<SensorEntry>> AddAsync(LearnerId learner, SensorReading reading);

    /// <summary>Several XADDs sent at once (pipelined, in order), then one EXPIRE.</summary>
    Task<Traced<IReadOnlyList<SensorEntry>>> AddManyAsync(LearnerId learner, IReadOnlyList<SensorReading> readings);

    /// <summary>XLEN.</summary>
    Task<Traced<long>> LengthAsync(LearnerId learner);

    /// <summary>XRANGE between two ids (<c>-</c>, <c>+</c>, a millisecond time or a full id).</summary>
    Task<Traced<IReadOnlyList<SensorEntry>>> RangeAsync(LearnerId learner, string from, string to, int count = 100);

    /// <summary>XREVRANGE + - COUNT n, returned oldest first: the latest readings for the chart and table.</summary>
    Task<Traced<IReadOnlyList<SensorEntry>>> LatestAsync(LearnerId learner, int count = 60);

    /// <summary>XREAD COUNT n STREAMS key id, without BLOCK: entries after <paramref name="afterId"/>, never waits.</summary>
    Task<Traced<IReadOnlyList<SensorEntry>>> ReadAfterAsync(LearnerId learner, string afterId, int count = 100);

    /// <summary>XINFO GROUPS: the names of the stream's consumer groups (call it only when the stream exists: Redis answers "no such key" otherwise).</summary>
    Task<Traced<IReadOnlyList<string>>> GroupsAsync(LearnerId learner);

    /// <summary>XGROUP CREATE … 0 MKSTREAM; false (with the BUSYGROUP error in the trace) when the group exists.</summary>
    Task<Traced<bool>> CreateGroupAsync(LearnerId learner, string group);

    /// <summary>XREADGROUP GROUP g c COUNT n STREAMS key &gt;: new entries, each to one consumer only.</summary>
    Task<Traced<IReadOnlyList<SensorEntry>>> ReadGroupAsync(LearnerId learner, string group, string consumer, int count);

    /// <summary>XACK: the consumer is done with these entries.</summary>
    Task<Traced<long>> AckAsync(LearnerId learner, string group, IReadOnlyCollection<string> ids);

    /// <summary>XPENDING key g - + 100: delivered, not yet acknowledged (empty when the group does not exist yet).</summary>
    Task<Traced<IReadOnlyList<PendingEntry>>> PendingAsync(LearnerId learner, string group);

    /// <summary>XAUTOCLAIM key g c min-idle 0-0: takes over entries idle longer than <paramref name="minIdle"/>.</summary>
    Task<Traced<AutoClaimResult>> AutoClaimAsync(LearnerId learner, string group, string consumer, TimeSpan minIdle);
}
