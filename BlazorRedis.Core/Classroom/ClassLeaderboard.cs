using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>One row of the class's leaderboard.</summary>
/// <param name="Rank">1 for the highest score.</param>
/// <param name="Learner">The learner's id.</param>
/// <param name="Nickname">Their nickname from the roster.</param>
/// <param name="Score">How many actions they ran in the class.</param>
public sealed record LeaderboardEntry(long Rank, string Learner, string Nickname, long Score);

/// <summary>Where one learner stands.</summary>
/// <param name="Rank">1 for the highest score (ZREVRANK + 1).</param>
/// <param name="Score">Their score.</param>
/// <param name="Of">How many learners have a score (ZCARD).</param>
public sealed record LeaderboardRank(long Rank, long Score, long Of);

/// <summary>
/// The class's leaderboard: one sorted set, <c>{class:CODE}:leaderboard</c> (learner id → actions run). The score goes up
/// in <see cref="ClassService.ReportActionAsync"/>, on the server, in the script that checks membership, so a learner can
/// neither choose a score nor score outside the class. Reading is ZREVRANGE … WITHSCORES plus one HMGET of the roster for
/// the nicknames; a learner's own place is ZREVRANK and ZSCORE.
/// </summary>
public sealed class ClassLeaderboard(ClassService classes, RedisTracer tracer)
{
    /// <summary>The most rows the projector shows.</summary>
    public const int MaxTop = 50;

    private RedisKey Key(string code) => classes.ClassKey(code, "leaderboard");

    /// <summary>The leaderboard's key as text, for the page's explanation.</summary>
    public string KeyText(string code)
    {
        ClassService.RequireCode(code);
        return Key(code).ToString();
    }

    /// <summary>The top <paramref name="count"/> learners, highest score first (ties: the later id first, as ZREVRANGE orders them).</summary>
    public async Task<Traced<IReadOnlyList<LeaderboardEntry>>> TopAsync(string code, int count = 10)
    {
        ClassService.RequireCode(code);
        var n = Math.Clamp(count, 1, MaxTop);
        var recorder = tracer.Start("Read the leaderboard");
        var db = classes.Db;
        var key = Key(code);
        var top = await classes.TracedAsync(
            recorder,
            RedisCommandText.Format("ZREVRANGE", key, 0, n - 1, "WITHSCORES"),
            () => db.SortedSetRangeByRankWithScoresAsync(key, 0, n - 1, Order.Descending),
            r => Wording.Count(r.Length, "learner")).ConfigureAwait(false);
        if (top.Length == 0)
        {
            return new([], recorder.Finish());
        }

        var roster = classes.ClassKey(code, "roster");
        var ids = top.Select(e => e.Element).ToArray();
        var names = await classes.TracedAsync(
            recorder,
            RedisCommandText.Format("HMGET", [roster, .. ids.Cast<object?>()]),
            () => db.HashGetAsync(roster, ids),
            r => Wording.Count(r.Count(v => !v.IsNull), "nickname")).ConfigureAwait(false);
        var rows = new List<LeaderboardEntry>(top.Length);
        for (var i = 0; i < top.Length; i++)
        {
            // A learner who left since scoring has no nickname: the removal script drops the score too, so this is a race only.
            if (!names[i].IsNull)
            {
                rows.Add(new LeaderboardEntry(i + 1, top[i].Element!, names[i]!, (long)top[i].Score));
            }
        }

        return new(rows, recorder.Finish());
    }

    /// <summary>Where <paramref name="learner"/> stands, or null before their first scored action.</summary>
    public async Task<Traced<LeaderboardRank?>> RankAsync(string code, string learner)
    {
        ClassService.RequireCode(code);
        ClassService.RequireLearner(learner);
        var recorder = tracer.Start("Read my rank");
        var db = classes.Db;
        var key = Key(code);
        var rank = await classes.TracedAsync(
            recorder,
            RedisCommandText.Format("ZREVRANK", key, learner),
            () => db.SortedSetRankAsync(key, learner, Order.Descending),
            r => r is null ? "(nil)" : "(integer) " + r).ConfigureAwait(false);
        if (rank is null)
        {
            return new(null, recorder.Finish());
        }

        var score = await classes.TracedAsync(recorder, RedisCommandText.Format("ZSCORE", key, learner), () => db.SortedSetScoreAsync(key, learner), s => s is null ? "(nil)" : $"\"{s}\"").ConfigureAwait(false);
        var of = await classes.TracedAsync(recorder, RedisCommandText.Format("ZCARD", key), () => db.SortedSetLengthAsync(key), n => "(integer) " + n).ConfigureAwait(false);
        return new(new LeaderboardRank(rank.Value + 1, (long)(score ?? 0), of), recorder.Finish());
    }

    /// <summary>
    /// Empties the leaderboard (DEL) and tells the class. The teacher's action: the app refuses it for a learner before it
    /// gets here (the teacher panel and the API's teacher filter), Core does not know who is teaching.
    /// </summary>
    public async Task<Traced<bool>> ResetAsync(string code)
    {
        ClassService.RequireCode(code);
        var recorder = tracer.Start("Reset the leaderboard");
        var db = classes.Db;
        var meta = classes.ClassKey(code, "meta");
        if (!await classes.TracedAsync(recorder, RedisCommandText.Format("EXISTS", meta), () => db.KeyExistsAsync(meta), RedisCommandText.Flag).ConfigureAwait(false))
        {
            throw new ClassNotFoundException();
        }

        var key = Key(code);
        var deleted = await classes.TracedAsync(recorder, RedisCommandText.Format("UNLINK", key), () => db.KeyDeleteAsync(key), RedisCommandText.Flag).ConfigureAwait(false);
        await classes.PublishAsync(recorder, new ClassEvent(ClassEventKind.LeaderboardReset, code, null, null, null, classes.Now)).ConfigureAwait(false);
        return new(deleted, recorder.Finish());
    }
}
