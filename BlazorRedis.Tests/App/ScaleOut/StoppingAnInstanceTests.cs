using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.ScaleOut;

/// <summary>Two instances on one write-behind queue; this class stops one of them, so it owns both.</summary>
public class StoppingAnInstanceTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a deadline only
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"Still not {what}: {value}");
            }
        }
    }

    [Fact]
    public async Task Stopping_a_loses_nothing_queued_b_claims_the_writes_a_held_and_applies_every_one()
    {
        var prefix = $"brstop{Guid.NewGuid():N}"[..14] + ":";
        Dictionary<string, string?> Settings() => new()
        {
            ["Keyspace:Prefix"] = prefix,
            ["Catalog:DatabaseLatencyMs"] = "10",
            ["Caching:WriteBehindPollMs"] = "50",
            ["Caching:WriteBehindClaimIdleMs"] = "1000",
        };
        var a = new BlazorRedisAppFactory(redis.Configuration, Settings()).Start();
        await using var b = new BlazorRedisAppFactory(redis.Configuration, Settings()).Start();
        var stoppedA = false;
        try
        {
            // The default consumer names are unique per instance.
            var consumerA = a.Services.GetRequiredService<IOptions<CachingOptions>>().Value.WriteBehindConsumer;
            var consumerB = b.Services.GetRequiredService<IOptions<CachingOptions>>().Value.WriteBehindConsumer;
            Assert.NotEqual(consumerA, consumerB);

            // B's worker waits; A's takes the writes but its database is very slow, so it never acknowledges them.
            b.Services.GetRequiredService<WriteBehindService>().SetPaused(true, "the test");
            var queueOnA = a.Services.GetRequiredService<WriteBehindService>();
            queueOnA.SetPaused(true, "the test");
            a.Services.GetRequiredService<IProductDatabase>().SetLatency(TimeSpan.FromMilliseconds(InMemoryProductDatabase.MaxLatencyMs));

            using var clientA = a.CreateHttpClient();
            var ids = Enumerable.Range(11, 6).ToArray();
            foreach (var id in ids)
            {
                using var put = await clientA.PutAsJsonAsync($"/api/products/{id}?strategy=write-behind", new { name = $"Queued on A {id}", price = 2.5, category = "toys", stock = id }, Ct);
                Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
            }

            queueOnA.SetPaused(false);
            using var clientB = b.CreateHttpClient();
            var held = await UntilAsync(
                () => clientB.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct),
                s => s.GetProperty("pending").GetInt64() == ids.Length && s.GetProperty("undelivered").GetInt64() == 0,
                "all delivered to A");
            var pendingByConsumer = (await redis.Multiplexer.GetDatabase().StreamPendingAsync(
                a.Services.GetRequiredService<CacheKeys>().WriteBehindStream, WriteBehindService.Group)).Consumers;
            Assert.Equal(consumerA, Assert.Single(pendingByConsumer).Name.ToString());

            // A stops mid-batch: its database never saw the writes, and nothing acknowledged them.
            var databaseOfA = a.Services.GetRequiredService<IProductDatabase>();
            Assert.All(ids, id => Assert.NotEqual($"Queued on A {id}", databaseOfA.Peek(id)?.Name));
            await a.DisposeAsync();
            stoppedA = true;
            var afterStop = await clientB.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);
            Assert.Equal(ids.Length, afterStop.GetProperty("queueLength").GetInt64());

            // B resumes: after Caching:WriteBehindClaimIdleMs it claims A's entries (XAUTOCLAIM) and applies every one.
            b.Services.GetRequiredService<WriteBehindService>().SetPaused(false);
            await UntilAsync(
                () => clientB.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct),
                s => s.GetProperty("queueLength").GetInt64() == 0,
                "drained by B");
            var databaseOfB = b.Services.GetRequiredService<IProductDatabase>();
            Assert.All(ids, id => Assert.Equal($"Queued on A {id}", databaseOfB.Peek(id)?.Name));
            Assert.Empty((await redis.Multiplexer.GetDatabase().StreamPendingAsync(
                b.Services.GetRequiredService<CacheKeys>().WriteBehindStream, WriteBehindService.Group)).Consumers);
            Assert.DoesNotContain(b.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error); // no CROSSSLOT, no MOVED
        }
        finally
        {
            if (!stoppedA)
            {
                await a.DisposeAsync();
            }
        }
    }
}

/// <summary>The same on the cluster collection's 3-master Redis Cluster (the stream and its group on the node of their slot).</summary>
[Collection(OnRedisCluster.Name)]
public sealed class StoppingAnInstanceOnClusterTests(RedisClusterFixture cluster) : StoppingAnInstanceTests(cluster);
