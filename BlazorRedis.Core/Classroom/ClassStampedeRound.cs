using System.Text.Json.Serialization;
using BlazorRedis.Core.Caching.Stampede;

namespace BlazorRedis.Core.Classroom;

/// <summary>Where a learner's read in a class stampede round got its value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StampedeReadSource>))]
public enum StampedeReadSource
{
    /// <summary>The learner's read missed and loaded the database itself.</summary>
    Database,

    /// <summary>Another learner held the lock: this read waited for that load and then read the cache.</summary>
    Lock,

    /// <summary>The value was in the cache already.</summary>
    Cache,
}

/// <summary>One learner's read in a round, as measured by the app that ran it.</summary>
/// <param name="Learner">The learner's id.</param>
/// <param name="Nickname">Their nickname in the class.</param>
/// <param name="Source">Where the value came from.</param>
/// <param name="WaitMs">How long the learner waited, from pressing Read until the value arrived (a Stopwatch).</param>
public sealed record ClassStampedeRead(string Learner, string Nickname, StampedeReadSource Source, double WaitMs);

/// <summary>A class stampede round with its live counts (real counts from the round's hash in Redis).</summary>
/// <param name="Id">The round's id in the class.</param>
/// <param name="Protection">None or lock.</param>
/// <param name="ArmedAt">When the teacher armed it.</param>
/// <param name="ClosesAt">When its window closes: reads are taken until then.</param>
/// <param name="Readers">Learners who pressed Read within the window.</param>
/// <param name="DatabaseLoads">Database loads their reads caused (each loader counted it in Redis).</param>
/// <param name="Reads">The reads that finished, each with its wait.</param>
public sealed record ClassStampedeRound(
    string Id, StampedeProtection Protection, DateTimeOffset ArmedAt, DateTimeOffset ClosesAt, long Readers, long DatabaseLoads, IReadOnlyList<ClassStampedeRead> Reads)
{
    /// <summary>The window's length in whole seconds.</summary>
    public int WindowSeconds => (int)Math.Round((ClosesAt - ArmedAt).TotalSeconds);

    /// <summary>Reads that finished.</summary>
    public int Done => Reads.Count;

    /// <summary>Reads that waited for another learner's load (lock only).</summary>
    public int LockWaits => Reads.Count(r => r.Source == StampedeReadSource.Lock);

    /// <summary>The median wait of the finished reads, in ms (0 before any finished).</summary>
    public double WaitP50Ms => Percentile(0.50);

    /// <summary>The longest wait of the finished reads, in ms (0 before any finished).</summary>
    public double WaitMaxMs => Reads.Count == 0 ? 0 : Math.Round(Reads.Max(r => r.WaitMs), 1);

    /// <summary>True while reads are taken.</summary>
    public bool IsOpen(DateTimeOffset now) => now < ClosesAt;

    private double Percentile(double q)
    {
        if (Reads.Count == 0)
        {
            return 0;
        }

        var sorted = Reads.Select(r => r.WaitMs).Order().ToArray();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
    }
}
