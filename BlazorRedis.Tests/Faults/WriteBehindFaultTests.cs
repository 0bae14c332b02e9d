using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// Write-behind under a crowd and under Redis restarts: nothing accepted is lost, nothing refused is applied. On the
/// database in memory; <see cref="WriteBehindFaultOnSharedDatabaseTests"/> runs the same on the one in Redis.
/// </summary>
public class WriteBehindFaultTests(RedisServerFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>True to run every test on the database in Redis (<c>ScaleOut:SharedDatabase</c>), which goes down with it.</summary>
    protected virtual bool SharedDatabase => false;

    private static async Task WaitUntilAsync(Func<bool> condition, int seconds)
    {
        var sw = Stopwatch.StartNew();
        while (!condition() && sw.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Redis_restarted_without_persistence_is_detected_once_counted_shown_and_the_status_recovers_by_itself()
    {
        await using var redis = await RestartableRedis.StartAsync(persistent: false);
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "10",
            ["Caching:WriteBehindPollMs"] = "50",
            ["ScaleOut:SharedDatabase"] = SharedDatabase ? "true" : "false",
        }).Start();
        using var client = app.CreateHttpClient();
        var writeBehind = app.Services.GetRequiredService<WriteBehindService>();
        var database = app.Services.GetRequiredService<IProductDatabase>();
        writeBehind.SetPaused(true, "a test");
        for (var id = 1; id <= 5; id++)
        {
            using var put = await client.PutAsJsonAsync($"/api/products/{id}?strategy=write-behind", new { name = $"Lost {id}", price = 1.5, category = "toys", stock = id }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        }

        var before = await client.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);
        Assert.Equal(5, before.GetProperty("queueLength").GetInt64());

        redis.Stop();
        await redis.StartAgainAsync();

        // No one resumes anything: the status answers again as soon as Redis does.
        HttpStatusCode status = 0;
        JsonElement after = default;
        var sw = Stopwatch.StartNew();
        while (status != HttpStatusCode.OK && sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100, Ct);
            using var get = await client.GetAsync("/api/cache/write-behind", Ct);
            status = get.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                after = JsonDocument.Parse(await get.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, after.GetProperty("lostWrites").GetInt64());
        Assert.Equal(JsonValueKind.String, after.GetProperty("streamFoundGoneAt").ValueKind);
        Assert.Equal(0, after.GetProperty("queueLength").GetInt64());

        // The queue works again, and the loss is reported once, however often it is looked at.
        writeBehind.SetPaused(false);
        using (var put = await client.PutAsJsonAsync("/api/products/7?strategy=write-behind", new { name = "After", price = 2, category = "toys", stock = 7 }, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        }

        await WaitUntilAsync(() => database.Peek(7)?.Name == "After", 15);
        for (var i = 0; i < 3; i++)
        {
            using var again = await client.GetAsync("/api/cache/write-behind", Ct);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal("After", database.Peek(7)?.Name);
        var warnings = app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("accepted writes that were not yet applied are lost", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains(": 5 accepted writes", warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(5, writeBehind.LostWrites);
    }

    /// <summary>
    /// The acceptance run: 16 clients send 20,000 write-behind writes while the worker is paused (the bound refuses
    /// writes), resumed, and a persistent Redis (appendonly) is restarted mid-run. Every accepted write is applied
    /// exactly once; no refused write is ever applied. Writes that failed because Redis was down (the client cannot know
    /// whether Redis ran them) may be applied at most once.
    /// </summary>
    [Fact]
    public async Task Twenty_thousand_writes_from_16_clients_through_a_pause_and_a_redis_restart_are_applied_exactly_once_if_accepted_and_never_if_refused()
    {
        const int Total = 20_000;
        const int Clients = 16;
        await using var redis = await RestartableRedis.StartAsync(persistent: true);
        using var mux = await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000");
        IProductDatabase inner = SharedDatabase
            ? new RedisProductDatabase(mux, fixture.NewKeyspace(), new RedisCommandBudget(mux, TimeSpan.FromSeconds(2)), Options.Create(new CatalogOptions { ProductCount = 200, DatabaseLatencyMs = 20 }))
            : new InMemoryProductDatabase(200, TimeSpan.FromMilliseconds(20));
        var database = new RecordingDatabase(inner);
        await using var h = CachingHarness.Create(fixture, database: database, mux: mux, settings: new Dictionary<string, string?>
        {
            ["Caching:WriteBehindMaxQueue"] = "2000",
            ["Caching:WriteBehindPollMs"] = "20",
        });
        await h.Worker.StartAsync(CancellationToken.None);

        var accepted = new ConcurrentDictionary<string, string>(); // name -> write id
        var refused = new ConcurrentBag<string>();
        var unknown = new ConcurrentBag<string>();
        var sent = 0;
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref sent)) <= Total)
            {
                var name = $"w{n}";
                var input = new ProductInput { Name = name, Price = 1 + (n % 50), Category = "crowd", Stock = n % 500 };
                try
                {
                    accepted[name] = (await h.WriteBehind.EnqueueAsync((n % 200) + 1, input)).Value.WriteId;
                }
                catch (WriteBehindQueueFullException)
                {
                    refused.Add(name);
                }
                catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
                {
                    // Redis is restarting: the write may or may not have reached it. A real client waits a little.
                    unknown.Add(name);
                    await Task.Delay(20, Ct);
                }
            }
        }, Ct)).ToArray();

        var sw = Stopwatch.StartNew();
        await WaitUntilAsync(() => Volatile.Read(ref sent) >= 2_000, 30);
        h.WriteBehind.SetPaused(true, "a test");
        await WaitUntilAsync(() => Volatile.Read(ref sent) >= 7_000, 30);
        h.WriteBehind.SetPaused(false);
        await WaitUntilAsync(() => Volatile.Read(ref sent) >= 11_000, 30);
        redis.Stop();
        await Task.Delay(300, Ct);
        await redis.StartAgainAsync();
        await Task.WhenAll(clients);

        // Drain: everything that was accepted (and whatever the unknown ones did) reaches the database.
        await WaitUntilAsync(() => accepted.Values.All(inner.AppliedWriteIds.ToHashSet(StringComparer.Ordinal).Contains), 45);
        await Task.Delay(500, Ct);
        await h.Worker.StopAsync(CancellationToken.None);
        var elapsed = sw.Elapsed;

        var appliedIds = inner.AppliedWriteIds;
        var appliedNames = appliedIds.Select(database.NameOf).ToList();
        Assert.Equal(appliedIds.Count, appliedIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(appliedNames.Count, appliedNames.Distinct(StringComparer.Ordinal).Count()); // no write twice, under any id
        var notApplied = accepted.Values.Count(id => !appliedIds.Contains(id));
        var appliedSet = appliedNames.ToHashSet(StringComparer.Ordinal);
        var refusedButApplied = refused.Count(appliedSet.Contains);
        Assert.Equal(0, notApplied);
        Assert.Equal(0, refusedButApplied);
        Assert.Equal(Total, accepted.Count + refused.Count + unknown.Count);
        Assert.NotEmpty(refused); // the pause filled the queue to its bound
        Assert.True(accepted.Count > Total / 4, $"accepted {accepted.Count}");
        Assert.Equal(0, h.WriteBehind.LostWrites); // a persistent Redis loses nothing
        Assert.Equal(0, (await h.WriteBehind.GetStatusAsync()).Value.QueueLength);
        TestContext.Current.TestOutputHelper?.WriteLine($"accepted {accepted.Count}, refused {refused.Count}, unknown {unknown.Count} (applied {appliedNames.Count - accepted.Count}), {elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The database, remembering which write (by its unique name) each entry id carried.</summary>
    private sealed class RecordingDatabase(IProductDatabase inner) : DelegatingProductDatabase(inner)
    {
        private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

        public string NameOf(string writeId) => _names[writeId];

        public override Task<bool> ApplyQueuedWriteAsync(string writeId, QueuedProductWrite write, CancellationToken cancellationToken = default)
        {
            _names[writeId] = write.Values.Name!;
            return base.ApplyQueuedWriteAsync(writeId, write, cancellationToken);
        }

        public override Task<int> ApplyBatchAsync(IReadOnlyList<QueuedWriteEntry> writes, CancellationToken cancellationToken = default)
        {
            foreach (var entry in writes)
            {
                _names[entry.WriteId] = entry.Write.Values.Name!;
            }

            return base.ApplyBatchAsync(writes, cancellationToken);
        }
    }
}

/// <summary>The same faults with the database in Redis (<c>ScaleOut:SharedDatabase</c>).</summary>
public sealed class WriteBehindFaultOnSharedDatabaseTests(RedisServerFixture fixture) : WriteBehindFaultTests(fixture)
{
    protected override bool SharedDatabase => true;
}
