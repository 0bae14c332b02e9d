namespace BlazorRedis.Core.SortedSets;

/// <summary>The top of the board as ZREVRANGE … WITHSCORES returned it, and how many players it holds.</summary>
/// <param name="Key">The board's key.</param>
/// <param name="Shared">True when this is the classroom board every learner shares.</param>
/// <param name="Top">The best players, highest score first.</param>
/// <param name="Players">ZCARD: every player on the board.</param>
public sealed record LeaderboardState(string Key, bool Shared, IReadOnlyList<LeaderboardEntry> Top, long Players);
