using System.Diagnostics;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// Decisions per second of each rate-limit Lua script, through the app's own <see cref="RedisRateLimitService"/>
/// (one EVALSHA per decision, traced as in the app) with many concurrent callers, each its own client partition.
/// </summary>
internal static class RateLimitLoad
{
    public static async Task RunAsync(string redis, int concurrency, TimeSpan duration)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{redis},abortConnect=false");
        var options = Options.Create(new RateLimitingOptions { PermitLimit = 100, WindowSeconds = 1 });
        using var service = new RedisRateLimitService(mux, new RedisTracer(mux), new RedisKeyspace("br:bench:"), options, NullLogger<RedisRateLimitService>.Instance);
        Console.WriteLine($"| Algorithm | Decisions/s | Allowed | Denied | p50 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        // Warm every script and code path first, so the first algorithm measured does not pay for the JIT's warm-up.
        foreach (var algorithm in RateLimitAlgorithms.All)
        {
            await RunOneAsync(service, algorithm, concurrency, TimeSpan.FromSeconds(1));
        }

        foreach (var algorithm in RateLimitAlgorithms.All)
        {
            var (decisions, allowed, latencies, elapsed) = await RunOneAsync(service, algorithm, concurrency, duration);
            latencies.Sort();
            Console.WriteLine(
                $"| {algorithm.Title()} | {(decisions / elapsed.TotalSeconds).ToString("N0", Inv)} | {allowed.ToString("N0", Inv)} | " +
                $"{(decisions - allowed).ToString("N0", Inv)} | {Ms(Percentile(latencies, 50))} ms | {Ms(Percentile(latencies, 99))} ms |");
        }

        Console.WriteLine();
        Console.WriteLine($"{concurrency} concurrent callers × {duration.TotalSeconds.ToString("0.#", Inv)} s per algorithm, each caller its own client " +
            "under a rule of 100 requests per 1 s, through RedisRateLimitService (one EVALSHA per decision, command trace included).");
    }

    private static async Task<(long Decisions, long Allowed, List<double> Latencies, TimeSpan Elapsed)> RunOneAsync(
        RedisRateLimitService service, RateLimitAlgorithm algorithm, int concurrency, TimeSpan duration)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            long decisions = 0, allowed = 0;
            var latencies = new List<double>();
            var partition = $"bench-{run}-{i}";
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await service.CheckAsync(algorithm, partition);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                decisions++;
                if (result.Value.Allowed)
                {
                    allowed++;
                }
            }

            return (decisions, allowed, latencies);
        })).ToList();
        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        return (results.Sum(r => r.decisions), results.Sum(r => r.allowed), results.SelectMany(r => r.latencies).ToList(), elapsed);
    }
}
