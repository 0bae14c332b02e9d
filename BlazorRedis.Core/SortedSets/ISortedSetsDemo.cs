using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.SortedSets;

/// <summary>One row of the leaderboard.</summary>
/// <param name="Rank">0-based rank from the top (ZREVRANK).</param>
/// <param name="Player">The member.</param>
/// <param name="Score">Its score.</param>
public sealed record LeaderboardEntry(long Rank, string Player, double Score);

/// <summary>The top of the board as ZREVRANGE … WITHSCORES returned it, and how many players it holds.</summary>
/// <param name="Key">The board's key.</param>
/// <param name="Shared">True when this is the classroom board every learner shares.</param>
/// <param name="Top">The best players, highest score first.</param>
/// <param name="Players">ZCARD: every player on the board.</param>
public sealed record LeaderboardState(string Key, bool Shared, IReadOnlyList<LeaderboardEntry> Top, long Players);

/// <summary>One player's standing: ZREVRANK and ZSCORE (both null when the player is not on the board).</summary>
public sealed record PlayerStanding(string Player, long? Rank, double? Score);

/// <summary>The sorted sets demo: a game leaderboard.</summary>
public interface ISortedSetsDemo : IDataStructureDemo
{
    /// <summary>The most rows the chart reads.</summary>
    const int MaxTop = 25;

    /// <summary>The largest score (or increment) the demo accepts, in either direction.</summary>
    const double MaxScore = 1e12;

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
