using System.Threading.Channels;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>The class leaderboard on the real Redis: actions score, only members score, ranks, and the teacher's reset.</summary>
public class ClassLeaderboardTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(ClassService Classes, ClassLeaderboard Board, string Code, ClassMembership[] Learners)> ClassAsync(int learners)
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        var members = new ClassMembership[learners];
        for (var i = 0; i < learners; i++)
        {
            members[i] = (await classes.JoinAsync(code, "L" + i, LearnerId.New(), ClassTestKit.Client())).Value;
        }

        return (classes, new ClassLeaderboard(classes, redis.Tracer), code, members);
    }

    [Fact]
    public async Task Actions_raise_the_score_in_the_class_sorted_set_and_the_top_shows_nicknames_highest_first()
    {
        var (classes, board, code, learners) = await ClassAsync(3);

        await classes.ReportActionAsync(learners[0], "Read product 1");
        await classes.ReportActionAsync(learners[1], "Read product 1", points: 3);
        await classes.ReportActionAsync(learners[1], "Read product 2");
        await classes.ReportActionAsync(learners[2], "SET a key", points: 2);

        var key = classes.ClassKey(code, "leaderboard");
        Assert.EndsWith("{class:" + code + "}:leaderboard", key.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, await redis.Multiplexer.GetDatabase().SortedSetScoreAsync(key, learners[1].Learner));
        var top = await board.TopAsync(code, 10);
        Assert.Equal([("L1", 4L, 1L), ("L2", 2L, 2L), ("L0", 1L, 3L)], top.Value.Select(e => (e.Nickname, e.Score, e.Rank)));
        Assert.Contains(top.Trace.Commands, c => c.Text.StartsWith("ZREVRANGE", StringComparison.Ordinal) && c.Text.EndsWith("WITHSCORES", StringComparison.Ordinal));
        Assert.Contains(top.Trace.Commands, c => c.Text.StartsWith("HMGET", StringComparison.Ordinal));
        Assert.Single((await board.TopAsync(code, 1)).Value);
    }

    [Fact]
    public async Task Only_class_members_score_and_a_removed_learner_loses_their_row()
    {
        var (classes, board, code, learners) = await ClassAsync(2);
        var stranger = new ClassMembership(code, LearnerId.New().Value, "Mallory");

        Assert.False(await classes.ReportActionAsync(stranger, "Read product 1"));
        await classes.ReportActionAsync(learners[0], "Read product 1");
        await classes.ReportActionAsync(learners[1], "Read product 1", points: 5);
        await classes.RemoveAsync(code, learners[1].Learner);
        Assert.False(await classes.ReportActionAsync(learners[1], "Read product 1"));

        var db = redis.Multiplexer.GetDatabase();
        var key = classes.ClassKey(code, "leaderboard");
        Assert.Null(await db.SortedSetScoreAsync(key, stranger.Learner));
        Assert.Null(await db.SortedSetScoreAsync(key, learners[1].Learner));
        Assert.Equal(["L0"], (await board.TopAsync(code)).Value.Select(e => e.Nickname));
    }

    [Fact]
    public async Task A_learner_reads_their_own_rank_with_zrevrank()
    {
        var (classes, board, code, learners) = await ClassAsync(3);
        Assert.Null((await board.RankAsync(code, learners[0].Learner)).Value);

        await classes.ReportActionAsync(learners[0], "a", points: 1);
        await classes.ReportActionAsync(learners[1], "a", points: 7);
        await classes.ReportActionAsync(learners[2], "a", points: 4);

        var mine = await board.RankAsync(code, learners[2].Learner);
        Assert.Equal(new LeaderboardRank(2, 4, 3), mine.Value);
        Assert.Contains(mine.Trace.Commands, c => c.Text.StartsWith("ZREVRANK", StringComparison.Ordinal));
        Assert.Equal(1, (await board.RankAsync(code, learners[1].Learner)).Value!.Rank);
        Assert.Equal(3, (await board.RankAsync(code, learners[0].Learner)).Value!.Rank);
    }

    [Fact]
    public async Task Reset_empties_the_board_tells_the_class_and_refuses_a_closed_class()
    {
        var (classes, board, code, learners) = await ClassAsync(1);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());
        await classes.ReportActionAsync(learners[0], "a", points: 2);

        var reset = await board.ResetAsync(code);
        Assert.True(reset.Value);
        TraceAssert.NamesWhatWasSent(reset.Trace);

        Assert.Empty((await board.TopAsync(code)).Value);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(classes.ClassKey(code, "leaderboard")));
        ClassEvent evt;
        do
        {
            evt = await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        }
        while (evt.Kind == ClassEventKind.Action);
        Assert.Equal(ClassEventKind.LeaderboardReset, evt.Kind);

        await classes.CloseAsync(code);
        await Assert.ThrowsAsync<ClassNotFoundException>(() => board.ResetAsync(code));
    }

    [Fact]
    public async Task Closing_the_class_deletes_its_leaderboard_chat_and_muted_set()
    {
        var (classes, _, code, learners) = await ClassAsync(2);
        var channel = ClassTestKit.NewChannel(redis, classes);
        await classes.ReportActionAsync(learners[0], "a");
        await channel.PostAsync(learners[0], "hello");
        await channel.MuteAsync(code, learners[1].Learner);

        await classes.CloseAsync(code);

        var db = redis.Multiplexer.GetDatabase();
        foreach (var name in new[] { "leaderboard", "chat", "muted" })
        {
            Assert.False(await db.KeyExistsAsync(classes.ClassKey(code, name)), name);
        }
    }

    [Fact]
    public async Task The_leaderboard_never_holds_more_learners_than_the_class_roster_cap_however_a_client_joins_renames_or_scores()
    {
        const int max = 3;
        var classes = ClassTestKit.NewService(redis, new ClassOptions { MaxLearners = max });
        var code = (await classes.OpenAsync()).Value.Code;
        var key = classes.ClassKey(code, "leaderboard");
        var db = redis.Multiplexer.GetDatabase();
        var ids = Enumerable.Range(0, max).Select(_ => LearnerId.New()).ToArray();
        var members = new List<ClassMembership>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            members.Add((await classes.JoinAsync(code, "L" + i, id, ClassTestKit.Client())).Value);
        }

        // Many nicknames under one learner id rename that learner; they add no one.
        for (var n = 0; n < 5; n++)
        {
            members[0] = (await classes.JoinAsync(code, "Alias" + n, ids[0], ClassTestKit.Client())).Value;
        }

        var full = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => classes.JoinAsync(code, "One more", LearnerId.New(), ClassTestKit.Client()));
        foreach (var member in members)
        {
            Assert.True(await classes.ReportActionAsync(member, "a", points: 2));
        }

        // Scoring under a made-up learner id is refused by the script that checks the roster.
        for (var n = 0; n < 5; n++)
        {
            Assert.False(await classes.ReportActionAsync(new ClassMembership(code, LearnerId.New().Value, "Mallory" + n), "a"));
        }

        // Leaving and joining again under a new id frees a place and takes it: the leaving learner's row goes with them.
        for (var n = 0; n < 5; n++)
        {
            Assert.True(await classes.LeaveAsync(ids[1]));
            ids[1] = LearnerId.New();
            members[1] = (await classes.JoinAsync(code, "Churn" + n, ids[1], ClassTestKit.Client())).Value;
            Assert.True(await classes.ReportActionAsync(members[1], "a"));
        }

        Assert.Contains($"full ({max} learners)", full.Message, StringComparison.Ordinal);
        Assert.Equal(max, await db.SortedSetLengthAsync(key));
        Assert.Equal(members.Select(m => m.Learner).Order(StringComparer.Ordinal), (await db.SortedSetRangeByRankAsync(key)).Select(v => v.ToString()).Order(StringComparer.Ordinal));
    }
}
