using BlazorRedis.Core.Keys;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Tests.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.SortedSets;

public class SortedSetsDemoTests(RedisServerFixture redis)
{
    private readonly IDatabase _db = redis.Multiplexer.GetDatabase();

    private SortedSetsDemoService NewDemo(RedisKeyspace keys, bool shared = false) =>
        new(redis.Multiplexer, redis.Tracer, keys, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), Options.Create(new LeaderboardOptions { SharedLeaderboard = shared }));

    [Fact]
    public async Task Ranks_follow_the_scores_after_ZINCRBY()
    {
        var (keys, learner, _) = DemoTestKit.NewLearner(redis);
        var demo = NewDemo(keys);
        await demo.SetScoreAsync(learner, "Alice", 500);
        await demo.SetScoreAsync(learner, "Bob", 1000);
        await demo.SetScoreAsync(learner, "Carol", 750);

        var after = await demo.AddPointsAsync(learner, "Alice", 600);
        var alice = await demo.StandingAsync(learner, "Alice");
        var bob = await demo.StandingAsync(learner, "Bob");
        var nobody = await demo.StandingAsync(learner, "Dave");

        Assert.Equal(["Alice", "Bob", "Carol"], after.Value.Top.Select(e => e.Player));
        Assert.Equal([1100d, 1000d, 750d], after.Value.Top.Select(e => e.Score));
        Assert.Equal([0L, 1L, 2L], after.Value.Top.Select(e => e.Rank));
        Assert.Equal(3, after.Value.Players);
        Assert.Equal(0, alice.Value.Rank);
        Assert.Equal(1100, alice.Value.Score);
        Assert.Equal(1, bob.Value.Rank);
        Assert.Null(nobody.Value.Rank);
        Assert.Null(nobody.Value.Score);
        Assert.Equal(["ZREVRANK", "ZSCORE"], alice.Trace.WireNames);
        DemoTestKit.TextMatchesWire(after.Trace);
        DemoTestKit.TextMatchesWire(alice.Trace);
        await DemoTestKit.AssertExpiresAsync(_db, after.Value.Key, TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Top_n_goes_on_the_wire_as_ZREVRANGE_WITHSCORES()
    {
        var (keys, learner, _) = DemoTestKit.NewLearner(redis);
        var demo = NewDemo(keys);
        for (var i = 1; i <= 8; i++)
        {
            await demo.SetScoreAsync(learner, $"p{i}", i * 10);
        }

        var top = await demo.ReadTopAsync(learner, 3);

        Assert.Equal(["p8", "p7", "p6"], top.Value.Top.Select(e => e.Player));
        Assert.Equal(8, top.Value.Players);
        var read = top.Trace.Commands[0];
        Assert.Equal("ZREVRANGE", read.Wire[0].Name);
        Assert.EndsWith(" 0 2 WITHSCORES", read.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classroom_board_is_shared_by_learners_and_lives_under_the_app_prefix()
    {
        var keys = redis.NewKeyspace();
        var demo = NewDemo(keys, shared: true);
        var ann = LearnerId.New();
        var ben = LearnerId.New();

        await demo.SetScoreAsync(ann, "Ann", 300);
        var seenByBen = await demo.AddPointsAsync(ben, "Ben", 200);
        await demo.ResetAsync(ann, TestContext.Current.CancellationToken);
        var afterReset = await demo.ReadTopAsync(ben);

        Assert.True(seenByBen.Value.Shared);
        Assert.Equal(["Ann", "Ben"], seenByBen.Value.Top.Select(e => e.Player));
        Assert.StartsWith(keys.Prefix + "sorted-sets:", seenByBen.Value.Key, StringComparison.Ordinal);
        Assert.DoesNotContain("learner:", seenByBen.Value.Key, StringComparison.Ordinal);
        Assert.Equal(2, afterReset.Value.Players);
    }

    [Fact]
    public async Task Each_learner_has_an_own_board_by_default()
    {
        var keys = redis.NewKeyspace();
        var demo = NewDemo(keys);
        var ann = LearnerId.New();
        var ben = LearnerId.New();

        await demo.SetScoreAsync(ann, "Ann", 300);
        var bens = await demo.SetScoreAsync(ben, "Ben", 200);

        Assert.Equal(["Ben"], bens.Value.Top.Select(e => e.Player));
        Assert.StartsWith(keys.ForLearner(ben).Prefix, bens.Value.Key, StringComparison.Ordinal);
    }

    public static TheoryData<string> BadInputs() => ["NaN score", "infinite score", "huge score", "blank player", "player with newline", "long player", "NaN points", "top zero", "top too many"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_and_writes_nothing(string input)
    {
        var (keys, learner, _) = DemoTestKit.NewLearner(redis);
        var demo = NewDemo(keys);
        Func<Task> call = input switch
        {
            "NaN score" => () => demo.SetScoreAsync(learner, "Alice", double.NaN),
            "infinite score" => () => demo.SetScoreAsync(learner, "Alice", double.PositiveInfinity),
            "huge score" => () => demo.SetScoreAsync(learner, "Alice", 1e300),
            "blank player" => () => demo.SetScoreAsync(learner, " ", 1),
            "player with newline" => () => demo.AddPointsAsync(learner, "A\nB", 1),
            "long player" => () => demo.SetScoreAsync(learner, new string('p', 33), 1),
            "NaN points" => () => demo.AddPointsAsync(learner, "Alice", double.NaN),
            "top zero" => () => demo.SetScoreAsync(learner, "Alice", 1, 0),
            "top too many" => () => demo.AddPointsAsync(learner, "Alice", 1, 1000),
            _ => throw new InvalidOperationException(input),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(call);
        Assert.Empty(await DemoTestKit.KeysUnderAsync(redis, keys.Prefix));
    }

    [Fact]
    public async Task A_learners_board_holds_at_most_MaxPlayers_and_a_new_player_past_it_is_refused()
    {
        var (keys, learner, _) = DemoTestKit.NewLearner(redis);
        var demo = NewDemo(keys);
        for (var i = 0; i < ISortedSetsDemo.MaxPlayers; i++)
        {
            await demo.SetScoreAsync(learner, $"p{i}", i);
        }

        var byZadd = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => demo.SetScoreAsync(learner, "newcomer", 1));
        var byZincrby = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => demo.AddPointsAsync(learner, "newcomer", 1));
        var known = await demo.AddPointsAsync(learner, "p0", 1000);

        Assert.Contains($"at most {ISortedSetsDemo.MaxPlayers} players", byZadd.Message, StringComparison.Ordinal);
        Assert.Equal(byZadd.Message, byZincrby.Message);
        Assert.Equal(ISortedSetsDemo.MaxPlayers, known.Value.Players);
        Assert.Equal("p0", known.Value.Top[0].Player);
    }

    // The classroom board is on every learner's screen: a player "\u202Eniam" would read backwards there.
    [Theory]
    [InlineData("Ann \u202E olleh", "U+202E (right-to-left override)")]
    [InlineData("\u200B", "U+200B (zero width space)")]
    public async Task A_player_name_that_flips_direction_or_hides_is_refused_on_the_classroom_board_and_writes_nothing(string player, string named)
    {
        var keys = redis.NewKeyspace();
        var demo = NewDemo(keys, shared: true);
        var ann = LearnerId.New();

        var byZadd = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => demo.SetScoreAsync(ann, player, 1));
        var byZincrby = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => demo.AddPointsAsync(ann, player, 1));

        Assert.Contains(named, byZadd.Message, StringComparison.Ordinal);
        Assert.Equal(byZadd.Message, byZincrby.Message);
        Assert.False(await _db.KeyExistsAsync(demo.BoardKey(ann)));
    }

    [Fact]
    public async Task The_classroom_board_holds_at_most_MaxSharedPlayers_and_a_new_player_past_it_is_refused()
    {
        var keys = redis.NewKeyspace();
        var demo = NewDemo(keys, shared: true);
        var ann = LearnerId.New();
        var key = demo.BoardKey(ann);
        await _db.SortedSetAddAsync(key, Enumerable.Range(0, ISortedSetsDemo.MaxSharedPlayers).Select(i => new SortedSetEntry($"p{i}", i)).ToArray());

        var byZadd = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => demo.SetScoreAsync(LearnerId.New(), "newcomer", 1));
        var byZincrby = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => demo.AddPointsAsync(ann, "newcomer", 1));
        var known = await demo.AddPointsAsync(ann, "p0", 1e6);

        Assert.Contains($"at most {ISortedSetsDemo.MaxSharedPlayers} players", byZadd.Message, StringComparison.Ordinal);
        Assert.Contains("classroom board", byZadd.Message, StringComparison.Ordinal);
        Assert.Equal(byZadd.Message, byZincrby.Message);
        Assert.Equal(ISortedSetsDemo.MaxSharedPlayers, known.Value.Players);
        Assert.Equal("p0", known.Value.Top[0].Player);
        Assert.Null(await _db.SortedSetScoreAsync(key, "newcomer"));
    }
}
