using System.Text.Json.Serialization;

namespace BlazorRedis.Core.Classroom;

/// <summary>Where a poll stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PollState>))]
public enum PollState
{
    /// <summary>Learners may answer.</summary>
    Open,

    /// <summary>No more answers; the right answer is not shown yet.</summary>
    Closed,

    /// <summary>Closed, and the teacher showed the right answer.</summary>
    Revealed,
}

/// <summary>A poll of a class with its live tally (real counts from the poll's hash in Redis).</summary>
/// <param name="Id">The poll's id in the class.</param>
/// <param name="Question">The question.</param>
/// <param name="Options">The 2 to 6 options.</param>
/// <param name="Multiple">True when a learner may pick several options.</param>
/// <param name="State">Open, closed or revealed.</param>
/// <param name="Correct">The right options once revealed (empty before).</param>
/// <param name="Counts">How many learners picked each option.</param>
/// <param name="Voters">How many learners answered.</param>
/// <param name="OpenedAt">When the teacher pushed it.</param>
public sealed record ClassPoll(
    string Id, string Question, IReadOnlyList<string> Options, bool Multiple, PollState State, IReadOnlyList<int> Correct, IReadOnlyList<long> Counts, long Voters, DateTimeOffset OpenedAt);
