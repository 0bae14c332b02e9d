namespace BlazorRedis.Core.SortedSets;

/// <summary>One row of the leaderboard.</summary>
/// <param name="Rank">0-based rank from the top (ZREVRANK).</param>
/// <param name="Player">The member.</param>
/// <param name="Score">Its score.</param>
public sealed record LeaderboardEntry(long Rank, string Player, double Score);
