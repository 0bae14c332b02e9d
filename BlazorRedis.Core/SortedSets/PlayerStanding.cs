namespace BlazorRedis.Core.SortedSets;

/// <summary>One player's standing: ZREVRANK and ZSCORE (both null when the player is not on the board).</summary>
public sealed record PlayerStanding(string Player, long? Rank, double? Score);
