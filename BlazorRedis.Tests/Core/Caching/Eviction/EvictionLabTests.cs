using BlazorRedis.Core;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Keys;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Caching.Eviction;

/// <summary>Runs the lab on its own sandbox redis-server (one per test), never on the shared test server.</summary>
public class EvictionLabTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EvictionLab CreateLab(int roundPauseMs = 1100, string serverPath = "redis-server") => new(
        Options.Create(new EvictionLabOptions { ServerPath = serverPath, RoundPauseMilliseconds = roundPauseMs }),
        new RedisKeyspace($"brtest:{Guid.NewGuid():N}:"));

    [Fact]
    public async Task Under_allkeys_lru_hot_keys_survive_more_than_cold_ones()
    {
        await using var lab = CreateLab();

        var run = await lab.RunAsync(new EvictionWorkload { Policy = EvictionPolicies.AllKeysLru }, Ct);
        var r = run.Value;

        Assert.True(r.EvictedKeys > 0, "the workload is larger than maxmemory, so Redis must evict");
        Assert.InRange(r.Keys.Count(k => k.Outcome == KeyOutcome.Evicted), r.EvictedKeys - 10, r.EvictedKeys);
        Assert.Equal(0, r.Rejected);
        Assert.True(r.HotSurvivalRate > r.ColdSurvivalRate, $"hot {r.HotSurvivalRate:P0} vs cold {r.ColdSurvivalRate:P0} " + string.Join(" | ", run.Trace.Commands.Select(c => c.Text[..Math.Min(40, c.Text.Length)] + " => " + c.Result + " @" + c.Elapsed.TotalMilliseconds.ToString("0"))) + " cold survivors by index: " + string.Join(",", r.Keys.Select((k, i) => (k, i)).Where(x => x.k.Outcome == KeyOutcome.Survived).Select(x => x.i)));
        Assert.True(r.UsedMemoryBytes <= r.MaxMemoryBytes * 1.1);
        Assert.Equal(2 * 1024 * 1024, r.MaxMemoryBytes);
        Assert.Equal(r.Keys.Where(k => k.Outcome == KeyOutcome.Survived).Select(k => k.Name).Order(StringComparer.Ordinal), r.Survivors);
        Assert.Contains("FLUSHDB", run.Trace.WireNames);
        Assert.Contains("CONFIG", run.Trace.WireNames);
        Assert.Contains("SETEX", run.Trace.WireNames);
        Assert.Contains("SCAN", run.Trace.WireNames);
        Assert.DoesNotContain("KEYS", run.Trace.WireNames);
    }

    // Written 600, survived 206, evicted_keys 403: the SCAN that listed the survivors made room as it went (Redis evicts
    // before any command while memory is over maxmemory), so keys counted as survivors were evicted after being listed.
    [Theory]
    [InlineData(EvictionPolicies.AllKeysLru)]
    [InlineData(EvictionPolicies.AllKeysLfu)]
    [InlineData(EvictionPolicies.VolatileLru)]
    public async Task Every_accepted_write_survived_or_was_evicted_or_expired_and_the_numbers_add_up(string policy)
    {
        await using var lab = CreateLab(roundPauseMs: 0);

        var run = await lab.RunAsync(new EvictionWorkload { Policy = policy }, Ct);
        var r = run.Value;

        Assert.True(r.EvictedKeys > 0, "the workload is larger than maxmemory, so Redis must evict");
        Assert.Equal(r.Written, r.Survivors.Count + r.EvictedKeys + r.ExpiredKeys);
        Assert.Equal(r.EvictedKeys + r.ExpiredKeys, r.Keys.Count(k => k.Outcome == KeyOutcome.Evicted));
        Assert.Equal(r.Written, r.HotSurvived + r.ColdSurvived + r.EvictedKeys + r.ExpiredKeys); // the page's columns
        await using var sandbox = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(lab.Status.EndPoint + ",allowAdmin=true");
        var server = sandbox.GetServer(lab.Status.EndPoint!);
        Assert.Equal(r.Survivors.Count, await server.DatabaseSizeAsync()); // left frozen: nothing evicted since the walk
        Assert.Equal(EvictionPolicies.NoEviction, (await server.ConfigGetAsync("maxmemory-policy")).Single().Value);
        var policies = run.Trace.Commands.Where(c => c.Text.StartsWith("CONFIG SET maxmemory-policy", StringComparison.Ordinal)).Select(c => c.Text).ToList();
        Assert.Equal([$"CONFIG SET maxmemory-policy {policy}", "CONFIG SET maxmemory-policy noeviction"], policies);
    }

    [Fact]
    public async Task Under_noeviction_writes_fail_with_OOM_and_the_error_is_reported()
    {
        await using var lab = CreateLab(roundPauseMs: 0);

        var r = (await lab.RunAsync(new EvictionWorkload { Policy = EvictionPolicies.NoEviction }, Ct)).Value;

        Assert.Equal(0, r.EvictedKeys);
        Assert.True(r.Rejected > 0);
        Assert.NotNull(r.OomError);
        Assert.Contains("OOM", r.OomError, StringComparison.Ordinal);
        Assert.DoesNotContain(r.Keys, k => k.Outcome == KeyOutcome.Evicted);
        Assert.Equal(r.HotTotal, r.HotSurvived);
        Assert.Equal(r.Written, r.Survivors.Count);
    }

    [Fact]
    public async Task Volatile_policies_evict_only_keys_with_a_ttl()
    {
        await using var lab = CreateLab(roundPauseMs: 0);

        var run = await lab.RunAsync(new EvictionWorkload { Policy = EvictionPolicies.VolatileTtl, TtlPercent = 50 }, Ct);
        var r = run.Value;

        Assert.True(r.EvictedKeys > 0);
        // The C# shown for each round of writes names the TTL its first key is sent with, not one TTL for every key.
        var writes = run.Trace.Commands.Where(c => c.Text.StartsWith("SET/SETEX", StringComparison.Ordinal)).ToList();
        Assert.True(writes.Count > 1);
        Assert.Equal(writes.Count, writes.Select(c => c.CSharp).Distinct().Count());
        Assert.DoesNotContain("TimeSpan", writes[0].CSharp, StringComparison.Ordinal); // at 50 %, key 0 is one without a TTL
        Assert.All(writes, c => Assert.Contains("60 to 600 s", c.CSharp, StringComparison.Ordinal));
        Assert.All(r.Keys.Where(k => k.Outcome == KeyOutcome.Evicted), k => Assert.True(k.HasTtl, $"{k.Name} has no TTL but was evicted"));
        Assert.Equal(r.PersistentTotal, r.Keys.Count(k => !k.HasTtl && k.Outcome != KeyOutcome.Evicted));
    }

    [Fact]
    public async Task Keys_are_written_with_the_ttls_the_workload_names_and_each_rounds_csharp_shows_its_first_keys()
    {
        var keyspace = new RedisKeyspace($"brtest:{Guid.NewGuid():N}:");
        await using var lab = new EvictionLab(Options.Create(new EvictionLabOptions { RoundPauseMilliseconds = 0 }), keyspace);
        // Small enough that nothing is evicted; three rounds of 67 keys, so round 2 starts on a key with a TTL (67) and
        // rounds 1 and 3 on keys without one (0 and 134).
        var workload = new EvictionWorkload { Policy = EvictionPolicies.VolatileTtl, Keys = 200, ValueBytes = 256, HotKeys = 10, TtlPercent = 50, Rounds = 3 };

        var run = await lab.RunAsync(workload, Ct);

        Assert.Equal(0, run.Value.EvictedKeys);
        Assert.Equal(workload.Keys, run.Value.Survivors.Count);
        // What the sandbox really holds: PTTL of every key, read on a connection of the test's own.
        await using var sandbox = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(lab.Status.EndPoint!);
        var db = sandbox.GetDatabase();
        var ttls = await Task.WhenAll(run.Value.Keys.Select(k => db.KeyTimeToLiveAsync(keyspace.Key("eviction", k.Name))));
        for (var i = 0; i < workload.Keys; i++)
        {
            Assert.Equal(workload.HasTtl(i), ttls[i] is not null);
            Assert.Equal(workload.HasTtl(i), run.Value.Keys[i].HasTtl);
            if (ttls[i] is { } ttl)
            {
                var named = EvictionWorkload.TtlOf(i);
                Assert.InRange(named, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(600));
                Assert.InRange(ttl, named - TimeSpan.FromSeconds(30), named);
            }
        }

        var withTtl = ttls.OfType<TimeSpan>().ToList();
        Assert.Equal(workload.Keys / 2, withTtl.Count);
        Assert.True(withTtl.Max() - withTtl.Min() > TimeSpan.FromSeconds(400), $"TTLs from {withTtl.Min()} to {withTtl.Max()}: volatile-ttl needs them spread");
        Assert.True(withTtl.Select(t => (int)t.TotalSeconds / 10).Distinct().Count() > 40, "the TTLs are spread, not a few values");

        // Each round's C# names the TTL its first key really has, and no TTL for a first key without one.
        var writes = run.Trace.Commands.Where(c => c.Text.StartsWith("SET/SETEX", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, writes.Count);
        foreach (var (write, first) in writes.Zip(new[] { 0, 67, 134 }))
        {
            Assert.Contains($"key {first}", write.CSharp, StringComparison.Ordinal);
            var shown = System.Text.RegularExpressions.Regex.Match(write.CSharp, @"StringSetAsync\(key, new string\('x', 256\)(?:, TimeSpan\.FromSeconds\((\d+)\))?\);");
            Assert.True(shown.Success, write.CSharp);
            if (ttls[first] is { } ttl)
            {
                Assert.True(shown.Groups[1].Success, $"key {first} has a TTL of {ttl}, but the C# shows none: {write.CSharp}");
                var seconds = TimeSpan.FromSeconds(int.Parse(shown.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                Assert.InRange(ttl, seconds - TimeSpan.FromSeconds(30), seconds);
            }
            else
            {
                Assert.False(shown.Groups[1].Success, $"key {first} has no TTL, but the C# shows one: {write.CSharp}");
            }
        }
    }

    [Fact]
    public async Task A_second_learner_is_told_the_lab_is_busy_instead_of_interleaving()
    {
        await using var lab = CreateLab();

        var first = lab.RunAsync(new EvictionWorkload { Policy = EvictionPolicies.AllKeysRandom }, Ct);
        var busy = await Assert.ThrowsAsync<EvictionLabBusyException>(() => lab.RunAsync(new EvictionWorkload(), Ct));
        Assert.True(lab.Status.Busy);
        var r = (await first).Value;

        Assert.Contains("Another learner is running the lab", busy.Message, StringComparison.Ordinal);
        Assert.Equal(EvictionPolicies.AllKeysRandom, r.Policy);
        Assert.False(lab.Status.Busy);
    }

    [Theory]
    [InlineData("allkeys-lru ", 600, 4096, 30, 50)]
    [InlineData("bogus", 600, 4096, 30, 50)]
    [InlineData("allkeys-lru", 10, 4096, 3, 50)]
    [InlineData("allkeys-lru", 600, 10, 30, 50)]
    [InlineData("allkeys-lru", 600, 4096, 400, 50)]
    [InlineData("allkeys-lru", 600, 4096, 30, 101)]
    [InlineData("allkeys-lru", 600, 4096, -1, 50)]
    public async Task Bad_workloads_are_refused_before_the_sandbox_starts(string policy, int keys, int valueBytes, int hot, int ttlPercent)
    {
        await using var lab = CreateLab();

        await Assert.ThrowsAsync<LearnerInputException>(() => lab.RunAsync(
            new EvictionWorkload { Policy = policy, Keys = keys, ValueBytes = valueBytes, HotKeys = hot, TtlPercent = ttlPercent },
            Ct));

        Assert.False(lab.Status.Started);
    }

    [Fact]
    public async Task Without_a_redis_server_binary_the_lab_explains_what_it_needs()
    {
        await using var lab = CreateLab(serverPath: "/nonexistent/redis-server");

        var status = lab.Status;
        var ex = await Assert.ThrowsAsync<EvictionSandboxUnavailableException>(() => lab.RunAsync(new EvictionWorkload(), Ct));

        Assert.False(status.Available);
        Assert.Contains("redis-server", status.Reason, StringComparison.Ordinal);
        Assert.Contains("Caching:Eviction:ServerPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_is_started_once_and_stopped_on_dispose()
    {
        var lab = CreateLab(roundPauseMs: 0);
        await lab.RunAsync(new EvictionWorkload { Keys = 50, HotKeys = 5 }, Ct);
        var first = lab.Status;
        await lab.RunAsync(new EvictionWorkload { Keys = 50, HotKeys = 5 }, Ct);
        var second = lab.Status;

        await lab.DisposeAsync();

        Assert.True(first.Started);
        Assert.Equal(first.EndPoint, second.EndPoint);
        var port = int.Parse(first.EndPoint!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(await BlazorRedis.Core.Connection.EmbeddedRedisServer.PingAsync(port, Ct));
    }
}
