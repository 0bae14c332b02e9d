using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.SortedSets;

/// <summary>The sorted sets demo: a game leaderboard.</summary>
public interface ISortedSetsDemo : IDataStructureDemo
{
    /// <summary>The most rows the chart reads.</summary>
    const int MaxTop = 25;

    /// <summary>The largest score (or increment) the demo accepts, in either direction.</summary>
    const double MaxScore = 1e12;

    /// <summary>The most players a learner's own board holds: a new player past it is refused.</summary>
    const int MaxPlayers = 100;

    /// <summary>The most players the classroom board (<c>Demos:SharedLeaderboard</c>) holds: a new player past it is refused.</summary>
    const int MaxSharedPlayers = 1_000;

    /// <summary>True when learners share the classroom board.</summary>
    bool Shared { get; }

    /// <summary>ZADD: set a player's score (adds the player, or replaces the score).</summary>
    Task<Traced<LeaderboardState>> SetScoreAsync(LearnerId learner, string player, double score, int top = 10);

    /// <summary>ZINCRBY: add <paramref name="by"/> points to a player's score.</summary>
    Task<Traced<LeaderboardState>> AddPointsAsync(LearnerId learner, string player, double by, int top = 10);

    /// <summary>ZREVRANGE 0 top-1 WITHSCORES and ZCARD.</summary>
    Task<Traced<LeaderboardState>> ReadTopAsync(LearnerId learner, int top = 10);

    /// <summary>ZREVRANK and ZSCORE of one player.</summary>
    Task<Traced<PlayerStanding>> StandingAsync(LearnerId learner, string player);
}
