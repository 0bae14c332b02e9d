using BlazorRedis.Core;
using BlazorRedis.Core.HyperLogLog;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.HyperLogLog;

public class HyperLogLogDemoTests(RedisServerFixture redis)
{
    private readonly RedisKeyspace _keys = redis.NewKeyspace();
    private readonly LearnerId _learner = LearnerId.New();

    private HyperLogLogDemoService Counter => new(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer));

    [Fact]
    public void The_generator_yields_a_known_number_of_distinct_terms_the_same_way_each_time()
    {
        var generator = new SearchTermGenerator(10_000, seed: 5);

        var terms = generator.Terms().ToList();

        Assert.Equal(15_000, terms.Count);
        Assert.Equal(10_000, terms.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(terms, new SearchTermGenerator(10_000, seed: 5).Terms());
        Assert.NotEqual(terms, new SearchTermGenerator(10_000, seed: 6).Terms());
    }

    [Fact]
    public async Task At_100k_distinct_terms_pfcount_is_within_2_percent_in_a_fraction_of_the_sets_memory()
    {
        var reports = new List<LoadProgress>();

        var result = await Counter.LoadAsync(_learner, 100_000, new SyncProgress(reports.Add), TestContext.Current.CancellationToken);

        var c = result.Value;
        Assert.Equal(100_000, c.Exact);
        Assert.InRange(Math.Abs(c.ErrorPercent), 0, 2);
        Assert.Equal(150_000, c.Searches);
        Assert.InRange(c.HyperLogLogBytes!.Value, 1, 16 * 1024);
        Assert.True(c.SetBytes > 20 * c.HyperLogLogBytes, $"set {c.SetBytes} B vs HLL {c.HyperLogLogBytes} B");
        Assert.Equal(new LoadProgress(150_000, 150_000), reports[^1]);
        Assert.Equal(150, result.Trace.WireNames.Count(n => n == "PFADD"));
        Assert.Equal(150, result.Trace.WireNames.Count(n => n == "SADD"));
        Assert.Equal(["UNLINK", "PFADD", "PFCOUNT", "SCARD", "MEMORY", "MEMORY"], result.Trace.Commands.Select(c => c.Text.Split(' ')[0]));
        var db = redis.Multiplexer.GetDatabase();
        var me = _keys.ForLearner(_learner);
        Assert.InRange((await db.KeyTimeToLiveAsync(me.Key("hyperloglog", "terms", "set")))!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.NotNull(await db.KeyTimeToLiveAsync(me.Key("hyperloglog", "terms", "hll")));
    }

    [Fact]
    public async Task Both_counters_share_one_lifetime_and_a_missing_exact_set_restarts_both_instead_of_comparing_against_it()
    {
        var (db, hll, set) = await LoadedAsync();
        Assert.InRange((await db.KeyTimeToLiveAsync(hll))!.Value, TimeSpan.FromMinutes(9), HyperLogLogDemoService.ExactSetTtl);

        await db.KeyDeleteAsync(set); // as if the exact set had expired on its own
        var missing = await Counter.CompareAsync(_learner);
        var added = await Counter.AddTermAsync(_learner, "fresh start");
        var after = await Counter.CompareAsync(_learner);

        Assert.True(missing.Value.ExactMissing);
        Assert.Equal(0, missing.Value.ErrorPercent);
        Assert.Equal(1, after.Value.Estimate);
        Assert.Equal(1, after.Value.Exact);
        Assert.False(after.Value.ExactMissing);
        BlazorRedis.Tests.Core.DataStructures.DemoTestKit.TextMatchesWire(added.Trace);
        Assert.InRange((await db.KeyTimeToLiveAsync(hll))!.Value, TimeSpan.FromMinutes(9), HyperLogLogDemoService.ExactSetTtl);
    }

    [Fact]
    public async Task Counting_a_search_into_a_loaded_set_does_not_lengthen_its_life_past_its_hold()
    {
        // The page holds the loaded set's memory for ExactSetTtl from the load; a search counted every few minutes used to
        // push the set's TTL back to 10 minutes each time, so the set outlived its hold for as long as the learner liked.
        var (db, hll, set) = await LoadedAsync();
        await db.KeyExpireAsync(hll, TimeSpan.FromMinutes(2)); // as Redis shows them 8 minutes after the load
        await db.KeyExpireAsync(set, TimeSpan.FromMinutes(2));

        var added = await Counter.AddTermAsync(_learner, "redis tutorial");

        Assert.InRange((await db.KeyTimeToLiveAsync(set))!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
        Assert.InRange((await db.KeyTimeToLiveAsync(hll))!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
        Assert.Contains(added.Trace.Commands, c => c.Text == RedisCommandText.Format("EXPIRE", set, 600, "NX"));
        BlazorRedis.Tests.Core.DataStructures.DemoTestKit.TextMatchesWire(added.Trace);
    }

    // Loads 10,000 distinct terms for the learner: the database and the two keys it wrote.
    private async Task<(IDatabase Db, RedisKey Hll, RedisKey Set)> LoadedAsync()
    {
        await Counter.LoadAsync(_learner, 10_000, cancellationToken: TestContext.Current.CancellationToken);
        var me = _keys.ForLearner(_learner);
        return (redis.Multiplexer.GetDatabase(), me.Key("hyperloglog", "terms", "hll"), me.Key("hyperloglog", "terms", "set"));
    }

    [Fact]
    public async Task A_cancelled_load_stops_between_batches_and_its_keys_still_expire()
    {
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Counter.LoadAsync(_learner, 10_000, new SyncProgress(_ => cts.Cancel()), cts.Token));

        var db = redis.Multiplexer.GetDatabase();
        var set = _keys.ForLearner(_learner).Key("hyperloglog", "terms", "set");
        Assert.InRange(await db.SetLengthAsync(set), 1, 14_999);
        Assert.NotNull(await db.KeyTimeToLiveAsync(set));
    }

    [Fact]
    public async Task A_repeated_term_changes_neither_count()
    {
        await Counter.AddTermAsync(_learner, "redis tutorial");
        var again = await Counter.AddTermAsync(_learner, "redis tutorial");
        var compare = await Counter.CompareAsync(_learner);

        Assert.Equal(new TermAdded(false, false), again.Value);
        Assert.Equal(1, compare.Value.Estimate);
        Assert.Equal(1, compare.Value.Exact);
        Assert.Equal(["PFCOUNT", "SCARD", "MEMORY", "MEMORY"], compare.Trace.WireNames);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("redis\r\nFLUSHALL")]
    [InlineData("tab\tinside")]
    public async Task A_bad_term_is_refused_and_writes_nothing(string term)
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Counter.AddTermAsync(_learner, term));

        Assert.Equal(0, await KeyCountAsync());
    }

    // U+200B alone was counted: "PFADD replied 1 … SADD replied 1 (new term)" for a search nobody can see.
    [Theory]
    [InlineData("\u200B", "U+200B (zero width space)")]
    [InlineData("redis\u202Etutorial", "U+202E (right-to-left override)")]
    public async Task An_invisible_or_direction_flipping_term_is_refused_naming_the_character_and_writes_nothing(string term, string named)
    {
        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => Counter.AddTermAsync(_learner, term));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await KeyCountAsync());
    }

    [Fact]
    public async Task A_too_long_term_or_an_unknown_size_is_refused_and_writes_nothing()
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Counter.AddTermAsync(_learner, new string('x', 201)));
        await Assert.ThrowsAsync<LearnerInputException>(() => Counter.LoadAsync(_learner, 5_000, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(0, await KeyCountAsync());
    }

    private async Task<int> KeyCountAsync()
    {
        var server = redis.Multiplexer.GetServers()[0];
        var count = 0;
        await foreach (var _ in server.KeysAsync(pattern: RedisKeyspace.PrefixPattern(_keys.ForLearner(_learner).AreaPrefix("hyperloglog"))))
        {
            count++;
        }

        return count;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
    private sealed class SyncProgress(Action<LoadProgress> report) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) => report(value);
    }
}
