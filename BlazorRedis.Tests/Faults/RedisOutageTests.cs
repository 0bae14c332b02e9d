using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Faults;

/// <summary>The API under steady concurrent reads while its Redis is stopped and started again on the same port.</summary>
public class RedisOutageTests
{
    private const int Workers = 8;
    private const int Products = 40;

    /// <summary>One read: when it was sent, when its answer was in, and what it said.</summary>
    private sealed record Read(DateTime Sent, DateTime At, HttpStatusCode Status, string? Source);

    [Fact]
    public async Task Reads_fall_back_to_the_database_writes_fail_fast_with_503_and_the_cache_recovers_after_redis_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RestartableRedis.StartAsync();
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "20",
        }).Start();
        using var client = app.CreateHttpClient();
        client.Timeout = TimeSpan.FromSeconds(15);

        var reads = new ConcurrentBag<Read>();
        var failures = new ConcurrentBag<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var i = w;
            // Bounded: each worker stops at the signal or after 2000 reads, whichever comes first.
            for (var n = 0; n < 2000 && !stop.IsCancellationRequested; n++)
            {
                var id = (i++ % Products) + 1;
                var sent = DateTime.UtcNow;
                try
                {
                    using var response = await client.GetAsync($"/api/products/{id}", stop.Token);
                    string? source = null;
                    if (response.IsSuccessStatusCode)
                    {
                        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop.Token));
                        source = doc.RootElement.GetProperty("source").GetString();
                    }

                    reads.Add(new Read(sent, DateTime.UtcNow, response.StatusCode, source));
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException ex)
                {
                    failures.Add(ex.Message);
                }
            }
        }, ct)).ToArray();

        // Warm: the cache fills and hits come.
        await WaitUntilAsync(() => reads.Any(r => r.Source == "cache"), TimeSpan.FromSeconds(10), "no cache hit before the outage");

        redis.Stop();
        var outageStart = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1), ct);

        var write = Stopwatch.StartNew();
        using var put = await client.PutAsJsonAsync("/api/products/1", new { name = "During outage", price = 9.5m, category = "books", stock = 3 }, ct);
        write.Stop();
        var putBody = await put.Content.ReadAsStringAsync(ct);

        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var outageEnd = DateTime.UtcNow;
        var statsBefore = await client.GetFromJsonAsync<JsonElement>("/api/cache/stats", ct);

        await redis.StartAgainAsync();
        var back = DateTime.UtcNow;
        await WaitUntilAsync(() => reads.Count(r => r.At > back && r.Source == "cache") >= 50, TimeSpan.FromSeconds(15), "reads did not become cache hits again after Redis returned");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var statsAfter = await client.GetFromJsonAsync<JsonElement>("/api/cache/stats", ct);

        Assert.Empty(failures);
        Assert.DoesNotContain(reads, r => (int)r.Status >= 500);
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        // Sent during the outage: a read sent just before it may have come from Redis and only finished later.
        var during = reads.Where(r => r.Sent > outageStart.AddMilliseconds(500) && r.At < outageEnd).ToList();
        Assert.True(during.Count >= Workers, $"only {during.Count} reads completed during the outage");
        Assert.All(during, r => Assert.Equal("database", r.Source));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Redis is unavailable", putBody, StringComparison.Ordinal);
        Assert.True(write.Elapsed < TimeSpan.FromSeconds(3), $"the write took {write.Elapsed} to fail");

        Assert.True(statsAfter.GetProperty("hits").GetInt64() > statsBefore.GetProperty("hits").GetInt64(), "no hits counted after Redis returned");
        var lastReads = reads.Where(r => r.At > back).OrderBy(r => r.At).TakeLast(40).ToList();
        Assert.True(lastReads.Count(r => r.Source == "cache") >= 30, $"hit rate did not recover: {lastReads.Count(r => r.Source == "cache")}/40 of the last reads were hits");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string message)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < timeout, message);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
