using System.Globalization;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.SortedSets;

/// <summary>
/// The leaderboard on real Redis: a board per learner (area <c>sorted-sets</c>), or, with
/// <c>Demos:SharedLeaderboard</c>, one classroom board under the app prefix.
/// </summary>
public sealed class SortedSetsDemoService(
    IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keyspace, KeyspaceJanitor janitor, IOptions<LeaderboardOptions> options) : ISortedSetsDemo
{
    /// <summary>The demo's key area (its slug).</summary>
    public const string Area = "sorted-sets";

    /// <inheritdoc/>
    public bool Shared { get; } = options?.Value.SharedLeaderboard ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc/>
    public async Task<Traced<LeaderboardState>> SetScoreAsync(LearnerId learner, string player, double score, int top = 10)
    {
        var name = PlayerName(player);
        DemoInput.Finite(score, -ISortedSetsDemo.MaxScore, ISortedSetsDemo.MaxScore, "score");
        CheckTop(top);
        var key = BoardKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"ZADD {name}");
        await CheckRoomAsync(rec, db, key, name).ConfigureAwait(false);
        await rec.RunAsync(
            RedisCommandText.Format("ZADD", key, score, name),
            string.Create(CultureInfo.InvariantCulture, $"await db.SortedSetAddAsync(key, {RedisCommandText.CSharpString(name)}, {score:R});"),
            () => db.SortedSetAddAsync(key, name, score),
            added => RedisCommandText.Flag(added) + (added ? "" : " (score replaced)")).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key, top).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<LeaderboardState>> AddPointsAsync(LearnerId learner, string player, double by, int top = 10)
    {
        var name = PlayerName(player);
        DemoInput.Finite(by, -ISortedSetsDemo.MaxScore, ISortedSetsDemo.MaxScore, "points");
        CheckTop(top);
        var key = BoardKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"ZINCRBY {name}");
        await CheckRoomAsync(rec, db, key, name).ConfigureAwait(false);
        await rec.RunAsync(
            RedisCommandText.Format("ZINCRBY", key, by, name),
            string.Create(CultureInfo.InvariantCulture, $"await db.SortedSetIncrementAsync(key, {RedisCommandText.CSharpString(name)}, {by:R});"),
            () => db.SortedSetIncrementAsync(key, name, by),
            s => RedisCommandText.Argument(s)).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key, top).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<LeaderboardState>> ReadTopAsync(LearnerId learner, int top = 10)
    {
        CheckTop(top);
        var rec = tracer.Start(string.Create(CultureInfo.InvariantCulture, $"Top {top}"));
        var state = await ReadAsync(rec, mux.GetDatabase(), BoardKey(learner), top).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<PlayerStanding>> StandingAsync(LearnerId learner, string player)
    {
        var name = DemoInput.Name(player, "player name", 32);
        var key = BoardKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Where is {name}?");
        var rank = await rec.RunAsync(
            RedisCommandText.Format("ZREVRANK", key, name),
            $"await db.SortedSetRankAsync(key, {RedisCommandText.CSharpString(name)}, Order.Descending); // 0 = first place",
            () => db.SortedSetRankAsync(key, name, Order.Descending),
            r => r is { } n ? RedisCommandText.IntegerReply(n) : "(nil)").ConfigureAwait(false);
        var score = await rec.RunAsync(
            RedisCommandText.Format("ZSCORE", key, name),
            $"await db.SortedSetScoreAsync(key, {RedisCommandText.CSharpString(name)});",
            () => db.SortedSetScoreAsync(key, name),
            s => s is { } v ? RedisCommandText.Argument(v) : "(nil)").ConfigureAwait(false);
        return new(new PlayerStanding(name, rank, score), rec.Finish());
    }

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    /// <summary>The board this learner plays on.</summary>
    public RedisKey BoardKey(LearnerId learner) => Shared
        ? keyspace.Key(Area, "classroom", "leaderboard")
        : keyspace.ForLearner(learner).Key(Area, "board", "leaderboard");

    /// <summary>
    /// A learner's own board holds at most <see cref="ISortedSetsDemo.MaxPlayers"/> players, the classroom board at most
    /// <see cref="ISortedSetsDemo.MaxSharedPlayers"/> (any learner may name any player on it): when it is full, only
    /// players already on it may change their score (ZADD and ZINCRBY both add a missing member).
    /// </summary>
    private async Task CheckRoomAsync(TraceRecorder rec, IDatabase db, RedisKey key, string player)
    {
        var max = Shared ? ISortedSetsDemo.MaxSharedPlayers : ISortedSetsDemo.MaxPlayers;
        var players = await rec.RunAsync(
            RedisCommandText.Format("ZCARD", key),
            "await db.SortedSetLengthAsync(key);",
            () => db.SortedSetLengthAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        if (players < max)
        {
            return;
        }

        var score = await rec.RunAsync(
            RedisCommandText.Format("ZSCORE", key, player),
            $"await db.SortedSetScoreAsync(key, {RedisCommandText.CSharpString(player)});",
            () => db.SortedSetScoreAsync(key, player),
            s => s is null ? "(nil)" : RedisCommandText.Argument(s.Value)).ConfigureAwait(false);
        if (score is null)
        {
            throw new LearnerInputException(Shared
                ? string.Create(CultureInfo.InvariantCulture, $"The classroom board holds at most {ISortedSetsDemo.MaxSharedPlayers} players; change a score of a player already on it.")
                : string.Create(CultureInfo.InvariantCulture, $"Your demo board holds at most {ISortedSetsDemo.MaxPlayers} players; change a score of a player already on it, or reset the board."), nameof(player));
        }
    }

    /// <summary>
    /// A player name to add: the classroom board is on every learner's screen, so there it follows the rule for text
    /// other people see (<see cref="Text.HiddenCharacters"/>): nothing that flips the text direction or is invisible.
    /// </summary>
    private string PlayerName(string? player)
    {
        var name = DemoInput.Name(player, "player name", 32);
        if (Shared && Text.HiddenCharacters.Problem(name, "A player name on the classroom board") is { } hidden)
        {
            throw new LearnerInputException(hidden, nameof(player));
        }

        return name;
    }

    private static void CheckTop(int top) => DemoInput.Range(top, 1, ISortedSetsDemo.MaxTop, "number of top players");

    private async Task<LeaderboardState> ReadAsync(TraceRecorder rec, IDatabase db, RedisKey key, int top)
    {
        // SortedSetRangeByRankWithScoresAsync with Order.Descending goes on the wire as ZREVRANGE … WITHSCORES.
        var entries = await rec.RunAsync(
            RedisCommandText.Format("ZREVRANGE", key, 0, top - 1, "WITHSCORES"),
            string.Create(CultureInfo.InvariantCulture, $"await db.SortedSetRangeByRankWithScoresAsync(key, 0, {top - 1}, Order.Descending);"),
            () => db.SortedSetRangeByRankWithScoresAsync(key, 0, top - 1, Order.Descending),
            r => RedisCommandText.List(r.SelectMany(e => new[] { e.Element.ToString(), RedisCommandText.Argument(e.Score) }), 12)).ConfigureAwait(false);
        var count = await rec.RunAsync(
            RedisCommandText.Format("ZCARD", key),
            "await db.SortedSetLengthAsync(key);",
            () => db.SortedSetLengthAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        var rows = entries.Select((e, i) => new LeaderboardEntry(i, e.Element.ToString(), e.Score)).ToList();
        return new LeaderboardState(key.ToString(), Shared, rows, count);
    }
}
