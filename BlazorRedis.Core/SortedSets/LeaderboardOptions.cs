namespace BlazorRedis.Core.SortedSets;

/// <summary>How the leaderboard demo is shared. Bound from <c>Demos</c>.</summary>
public sealed class LeaderboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Demos";

    /// <summary>
    /// <c>Demos:SharedLeaderboard</c>: when true, every learner plays on one classroom board (a key under the
    /// app prefix, not a learner's); when false (the default), each learner has a board of their own.
    /// </summary>
    public bool SharedLeaderboard { get; set; }
}
