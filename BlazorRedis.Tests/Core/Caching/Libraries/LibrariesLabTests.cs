using BlazorRedis.Core;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Caching.Libraries;

/// <summary>HybridCache and FusionCache with the real test Redis as L2, beside our cache-aside, on two simulated nodes.</summary>
public sealed class LibrariesLabTests(RedisServerFixture redis) : IAsyncLifetime
{
    private static readonly TimeSpan Memory = TimeSpan.FromSeconds(2);
    private readonly RedisKeyspace _keys = redis.NewKeyspace();
    private readonly LearnerId _learner = LearnerId.New();
    private LibrariesLab _lab = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var own = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _lab = new LibrariesLab(own, _keys.ForLearner(_learner), Memory, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100));
    }

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    [Theory]
    [InlineData(CacheLibrary.Hybrid)]
    [InlineData(CacheLibrary.Fusion)]
    public async Task A_miss_loads_once_then_node_a_answers_from_memory_with_nothing_sent_and_node_b_from_redis(CacheLibrary library)
    {
        var first = await _lab.ReadAsync(library, 3, cancellationToken: Ct);
        var again = await _lab.ReadAsync(library, 3, cancellationToken: Ct);
        var third = await _lab.ReadAsync(library, 3, cancellationToken: Ct);
        var onB = await _lab.ReadAsync(library, 3, _lab.B, cancellationToken: Ct);
        var againOnB = await _lab.ReadAsync(library, 3, _lab.B, cancellationToken: Ct);

        Assert.Equal(CacheLayer.Database, first.Value.Layer);
        Assert.True(first.Trace.WireNames.Any(), "first: nothing profiled"); // it looked in Redis and wrote the loaded value there
        Assert.True(again.Value.Layer == CacheLayer.Memory, $"{again.Value.Layer}: {string.Join(" ", again.Trace.WireNames)}");
        Assert.All(again.Trace.WireNames, n => Assert.Equal("HMGET", n)); // FusionCache checks its tag markers once
        Assert.Equal(CacheLayer.Memory, third.Value.Layer);
        Assert.Equal(0, third.Value.RedisCommands);
        Assert.Empty(third.Trace.WireNames); // an L1 hit sends nothing
        Assert.Equal(CacheLayer.Redis, onB.Value.Layer); // B's memory is its own, Redis is shared
        Assert.True(onB.Value.RedisCommands > 0);
        Assert.Equal(CacheLayer.Memory, againOnB.Value.Layer);
        Assert.Equal(1, _lab.Database.Loads);
        Assert.Equal(_lab.Database.Peek(3), again.Value.Product);
        Assert.Equal(first.Value.Product, onB.Value.Product);
    }

    [Fact]
    public async Task Our_cache_aside_sends_a_GET_for_every_hit()
    {
        var first = await _lab.ReadAsync(CacheLibrary.HandWritten, 4, cancellationToken: Ct);
        var hit = await _lab.ReadAsync(CacheLibrary.HandWritten, 4, cancellationToken: Ct);

        Assert.Equal(CacheLayer.Database, first.Value.Layer);
        Assert.True(first.Trace.WireNames.SequenceEqual(["GET", "SETEX"]), string.Join(" ", first.Trace.WireNames));
        Assert.Equal(CacheLayer.Redis, hit.Value.Layer);
        Assert.Equal(["GET"], hit.Trace.WireNames);
        Assert.Equal(_lab.Database.Peek(4), hit.Value.Product);
        Assert.True(await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(_lab.HandWrittenKey(4)) > TimeSpan.Zero);
    }

    [Theory]
    [InlineData(CacheLibrary.Hybrid)]
    [InlineData(CacheLibrary.Fusion)]
    public async Task A_thousand_readers_of_a_cold_key_cause_one_database_load(CacheLibrary library)
    {
        await _lab.ReadAsync(library, 5, cancellationToken: Ct); // warm, then the race forgets it everywhere first

        var race = await _lab.StampedeAsync(library, 5, 1000, Ct);

        Assert.Equal(1, race.Value.DatabaseLoads);
        Assert.Equal(1000, race.Value.Readers);
    }

    [Fact]
    public async Task Without_protection_our_cache_aside_lets_the_readers_stampede_the_database()
    {
        var race = await _lab.StampedeAsync(CacheLibrary.HandWritten, 5, 200, Ct);

        Assert.True(race.Value.DatabaseLoads > 1, $"{race.Value.DatabaseLoads} loads");
        Assert.True(race.Value.RedisCommands >= 200);
    }

    [Fact]
    public async Task Our_lock_race_runs_on_the_labs_own_database_and_product_and_loads_it_once()
    {
        var before = _lab.Database.Loads;

        var race = await _lab.StampedeWithLockAsync(5, 200, Ct);

        Assert.Equal(1, race.Value.DatabaseLoads);
        Assert.Equal(1, _lab.Database.Loads - before); // the lab's database, as the libraries' rows
        Assert.Equal(200, race.Value.Readers);
        Assert.True(race.Value.RedisCommands >= 200, $"{race.Value.RedisCommands} commands");
        Assert.Contains(race.Trace.Commands, c => c.Text.Contains(" NX PX ", StringComparison.Ordinal));
        var server = redis.Multiplexer.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: _keys.Prefix + "*ours-lock*"))
        {
            Assert.Fail($"{key} was left behind");
        }

        await Assert.ThrowsAsync<LearnerInputException>(() => _lab.StampedeWithLockAsync(5, 1, Ct));
        await Assert.ThrowsAsync<LearnerInputException>(() => _lab.StampedeWithLockAsync(0, 10, Ct));
    }

    [Theory]
    [InlineData(CacheLibrary.Hybrid)]
    [InlineData(CacheLibrary.Fusion)]
    [InlineData(CacheLibrary.HandWritten)]
    public async Task Invalidating_a_category_makes_its_products_load_again_and_leaves_the_others(CacheLibrary library)
    {
        var category = _lab.Database.Peek(1)!.Category;
        var other = Enumerable.Range(1, LibrariesLab.ProductCount).First(i => _lab.Database.Peek(i)!.Category != category);
        await _lab.ReadAsync(library, 1, cancellationToken: Ct);
        await _lab.ReadAsync(library, other, cancellationToken: Ct);

        var invalidated = await _lab.InvalidateCategoryAsync(library, category, Ct);

        Assert.True(invalidated.Value >= 1);
        if (library == CacheLibrary.HandWritten)
        {
            TraceAssert.NamesWhatWasSent(invalidated.Trace);
        }

        Assert.Equal(CacheLayer.Database, (await _lab.ReadAsync(library, 1, cancellationToken: Ct)).Value.Layer);
        Assert.NotEqual(CacheLayer.Database, (await _lab.ReadAsync(library, other, cancellationToken: Ct)).Value.Layer);
        await Assert.ThrowsAsync<LearnerInputException>(() => _lab.InvalidateCategoryAsync(library, "no such category", Ct));
    }

    [Fact]
    public async Task Without_a_backplane_node_b_serves_the_old_value_until_its_memory_expires_and_with_one_it_does_not()
    {
        var hybrid = await _lab.MeasureStaleWindowAsync(CacheLibrary.Hybrid, backplane: false, 6, cancellationToken: Ct);
        var alone = await _lab.MeasureStaleWindowAsync(CacheLibrary.Fusion, backplane: false, 7, cancellationToken: Ct);
        var backplane = await _lab.MeasureStaleWindowAsync(CacheLibrary.Fusion, backplane: true, 8, cancellationToken: Ct);

        Assert.True(hybrid.StaleReads > 0 && hybrid.StaleFor > Memory / 2, $"HybridCache: {hybrid}");
        Assert.True(alone.StaleReads > 0 && alone.StaleFor > Memory / 2, $"FusionCache alone: {alone}");
        Assert.True(backplane.StaleFor < Memory / 2, $"FusionCache with the backplane: {backplane}");
        Assert.True(backplane.StaleReads < alone.StaleReads);
    }

    [Fact]
    public async Task With_the_database_stopped_fusion_cache_serves_the_last_good_value_and_our_cache_aside_fails()
    {
        var good = (await _lab.ReadAsync(CacheLibrary.Fusion, 9, cancellationToken: Ct)).Value.Product;
        await _lab.ReadAsync(CacheLibrary.HandWritten, 9, cancellationToken: Ct);
        await _lab.ExpireAsync(CacheLibrary.Fusion, 9, Ct);
        var expired = await _lab.ExpireAsync(CacheLibrary.HandWritten, 9, Ct);
        TraceAssert.NamesWhatWasSent(expired.Trace);
        _lab.SetDatabaseStopped(true);

        var served = await _lab.ReadAsync(CacheLibrary.Fusion, 9, cancellationToken: Ct);
        await Assert.ThrowsAsync<LabDatabaseDownException>(() => _lab.ReadAsync(CacheLibrary.HandWritten, 9, cancellationToken: Ct));

        Assert.Equal(CacheLayer.FailSafe, served.Value.Layer);
        Assert.Equal(good, served.Value.Product);
        _lab.SetDatabaseStopped(false);
        Assert.Equal(CacheLayer.Database, (await _lab.ReadAsync(CacheLibrary.HandWritten, 9, cancellationToken: Ct)).Value.Layer);
    }

    [Fact]
    public async Task The_slow_call_is_cached_by_its_arguments_in_any_spacing_and_another_case_is_another_call()
    {
        var first = await _lab.SummarizeAsync("Redis keeps   the hot data in memory, close to the app.", 5, Ct);
        var same = await _lab.SummarizeAsync(" Redis keeps the hot\tdata in memory, close to the app.", 5, Ct);
        var shorter = await _lab.SummarizeAsync("Redis keeps the hot data in memory, close to the app.", 3, Ct);
        var lower = await _lab.SummarizeAsync("redis keeps the hot data in memory, close to the app.", 5, Ct);

        Assert.True(first.Value.Computed);
        Assert.False(same.Value.Computed);
        Assert.Equal(first.Value.Key, same.Value.Key);
        Assert.Equal("Redis keeps the hot data …", first.Value.Summary);
        Assert.True(shorter.Value.Computed); // another argument, another key
        Assert.True(lower.Value.Computed); // the case changes the summary, so it changes the key
        Assert.NotEqual(first.Value.Key, lower.Value.Key);
        Assert.Equal("redis keeps the hot data …", lower.Value.Summary);
        Assert.Equal(LibrariesLab.Summarize("Hello   WORLD this is a test", 3), LibrariesLab.Summarize("Hello WORLD this is a test", 3));
        Assert.NotEqual(LibrariesLab.SummaryKey("Hello   WORLD this is a test", 3), LibrariesLab.SummaryKey("hello world this is a test", 3));
        Assert.Equal(3, _lab.SummariesComputed);
        await Assert.ThrowsAsync<LearnerInputException>(() => _lab.SummarizeAsync(" ", 5, Ct));
        await Assert.ThrowsAsync<LearnerInputException>(() => _lab.SummarizeAsync("x", 500, Ct));
    }

    [Fact]
    public async Task Every_key_the_lab_writes_is_under_the_learners_libraries_area_and_expires()
    {
        var outside = await KeysOutsideTestPrefixesAsync();
        foreach (var library in new[] { CacheLibrary.HandWritten, CacheLibrary.Hybrid, CacheLibrary.Fusion })
        {
            await _lab.ReadAsync(library, 2, cancellationToken: Ct);
            await _lab.ReadAsync(library, 2, _lab.B, cancellationToken: Ct);
            await _lab.InvalidateCategoryAsync(library, _lab.Database.Peek(2)!.Category, Ct);
        }

        await _lab.SummarizeAsync("cache any call", 3, Ct);

        var server = redis.Multiplexer.GetServers()[0];
        var mine = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: _keys.Prefix + "*"))
        {
            mine.Add(key);
        }

        Assert.NotEmpty(mine);
        var area = _keys.ForLearner(_learner).AreaPrefix(LibrariesLab.Area);
        Assert.All(mine, k => Assert.StartsWith(area, k.ToString(), StringComparison.Ordinal));
        foreach (var key in mine)
        {
            Assert.True(await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(key) is not null, $"{key} never expires");
        }

        // Nothing written outside the prefix: no key of this learner elsewhere, and none of the libraries' own key
        // shapes (FusionCache's "v2:" wire-format prefix, tag and clear markers) at the top level. Other tests' apps
        // write under their own prefixes meanwhile, so the whole keyspace cannot simply be compared.
        var after = (await KeysOutsideTestPrefixesAsync()).Except(outside).ToList();
        Assert.DoesNotContain(after, k => k.Contains(_learner.Value, StringComparison.Ordinal) || k.StartsWith("v2:", StringComparison.Ordinal) || k.StartsWith("__", StringComparison.Ordinal) || k.StartsWith("summarize:", StringComparison.Ordinal) || k.StartsWith("product:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_lab_does_not_start_on_a_redis_that_is_away()
    {
        await using var dead = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{BlazorRedis.Core.Connection.EmbeddedRedisServer.FreeLoopbackPort()},abortConnect=false,connectTimeout=200");
        var factory = new LibrariesLabFactory(dead, _keys, Microsoft.Extensions.Options.Options.Create(new LibrariesOptions()));

        var refused = await Assert.ThrowsAsync<RedisConnectionException>(() => factory.CreateAsync(_learner));

        Assert.Contains("unreachable", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_learner_holds_at_most_the_configured_labs_and_a_closed_lab_frees_its_slot()
    {
        var factory = new LibrariesLabFactory(redis.Multiplexer, _keys, Microsoft.Extensions.Options.Options.Create(new LibrariesOptions { MaxLabsPerLearner = 2, DatabaseLatencyMs = 0 }));
        var learner = LearnerId.New();

        // Five tabs open the lab at once: two get one, three are told why, and no connection is left behind for them.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            try
            {
                return (Lab: await factory.CreateAsync(learner), Refused: (string?)null);
            }
            catch (BlazorRedis.Core.Budgets.BudgetExceededException refused)
            {
                return (Lab: (LibrariesLab?)null, Refused: refused.Message);
            }
        }));
        var labs = attempts.Where(a => a.Lab is not null).Select(a => a.Lab!).ToList();
        try
        {
            Assert.Equal(2, labs.Count);
            Assert.Equal(2, factory.OpenLabs(learner));
            Assert.All(attempts.Where(a => a.Refused is not null), a => Assert.Contains("Libraries:MaxLabsPerLearner", a.Refused, StringComparison.Ordinal));

            // Another learner is not affected; closing a lab (twice does no harm) frees one slot.
            await using (await factory.CreateAsync(LearnerId.New()))
            {
            }

            await labs[0].DisposeAsync();
            await labs[0].DisposeAsync();
            Assert.Equal(1, factory.OpenLabs(learner));
            labs[0] = await factory.CreateAsync(learner);
            Assert.Equal(2, factory.OpenLabs(learner));
        }
        finally
        {
            foreach (var lab in labs)
            {
                await lab.DisposeAsync();
            }
        }

        Assert.Equal(0, factory.OpenLabs(learner));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public async Task Products_outside_the_labs_catalog_are_refused(int id)
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => _lab.ReadAsync(CacheLibrary.Hybrid, id, cancellationToken: Ct));
        await Assert.ThrowsAsync<LearnerInputException>(() => _lab.StampedeAsync(CacheLibrary.Fusion, 1, 5000, Ct));
    }

    private async Task<HashSet<string>> KeysOutsideTestPrefixesAsync()
    {
        var server = redis.Multiplexer.GetServers()[0];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            if (!key.ToString().StartsWith("brtest:", StringComparison.Ordinal))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }
}
