using System.Diagnostics;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// Issue 12's workbench numbers, through the app's own <see cref="WorkbenchExecutor"/> (the code a learner's console
/// line runs, with the app's Redis rate limiter) on a real Redis:
/// 1. its own overhead per command — parse, allow-list, key rewrite, limits bookkeeping, reply formatting, tracing —
///    measured as the line's wall time minus the wall time of every Redis call it made, beside a raw round trip of the
///    same command (db.ExecuteAsync with the prefixed key);
/// 2. many learners typing at once: each runs a session of commands of all nine types, one line every second or so.
/// </summary>
internal static class WorkbenchLoad
{
    // One line per type (and a few generic ones): what a learner types in the first lessons.
    private static readonly string[] Lines =
    [
        "SET greeting hello",
        "GET greeting",
        "INCR visits",
        "EXPIRE greeting 600",
        "TTL greeting",
        "LPUSH queue a b c",
        "LRANGE queue 0 -1",
        "HSET cart:42 apples 3 pears 2",
        "HGETALL cart:42",
        "SADD tags redis cache",
        "SMEMBERS tags",
        "ZADD board 10 alice 7 bob",
        "ZREVRANGE board 0 -1 WITHSCORES",
        "SETBIT logins 7 1",
        "BITCOUNT logins",
        "PFADD visitors u1 u2 u3",
        "PFCOUNT visitors",
        "GEOADD shops 2.35 48.85 paris",
        "GEODIST shops paris paris km",
        "XADD sensor * t 21",
        "XLEN sensor",
        "TYPE cart:42",
        "DEL queue",
    ];

    public static async Task RunAsync(string redis, int iterations, int learners, TimeSpan duration)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{redis},abortConnect=false");
        var keyspace = new RedisKeyspace($"br:bench:{Guid.NewGuid():N}:");
        var tracer = new RedisTracer(mux);
        using var limiter = new RedisRateLimitService(mux, tracer, keyspace, Options.Create(new RateLimitingOptions()), NullLogger<RedisRateLimitService>.Instance);
        // Overhead without the rate limiter: its check is one more Redis round trip (an EVALSHA), measured on its own below.
        var executor = new WorkbenchExecutor(mux, tracer, keyspace, new RedisCommandBudget(mux, TimeSpan.FromSeconds(5)), Options.Create(new WorkbenchOptions()));
        try
        {
            await OverheadAsync(mux, executor, limiter, iterations);
            // The learners run with the app's default rate (20 commands per second each): they type far slower.
            var typing = new WorkbenchExecutor(mux, tracer, keyspace, new RedisCommandBudget(mux, TimeSpan.FromSeconds(5)), Options.Create(new WorkbenchOptions()), limiter);
            await LearnersAsync(typing, learners, duration);
        }
        finally
        {
            await new KeyspaceJanitor(mux, tracer).DeleteByPrefixAsync(keyspace.Prefix);
        }
    }

    private static async Task OverheadAsync(ConnectionMultiplexer mux, WorkbenchExecutor executor, RedisRateLimitService limiter, int iterations)
    {
        var session = executor.OpenSession(LearnerId.New());
        var db = mux.GetDatabase();
        // Warm up: the command table, the JIT, the scripts.
        for (var i = 0; i < 200; i++)
        {
            await executor.ExecuteAsync(session, Lines[i % Lines.Length]);
        }

        var overhead = new List<double>();
        var raw = new List<double>();
        var total = new List<double>();
        var calls = new List<int>();
        var rate = new List<double>();
        var rule = new RateLimitRule(new WorkbenchOptions().CommandsPerSecond * 1000, TimeSpan.FromSeconds(1));
        foreach (var i in Enumerable.Range(0, iterations))
        {
            var line = Lines[i % Lines.Length];
            var reply = await executor.ExecuteAsync(session, line);
            if (reply.IsError)
            {
                throw new InvalidOperationException($"{line} → {reply.Text}");
            }

            // Same command, sent raw with the learner's prefixed key (the round trip the workbench cannot avoid).
            var args = CommandLineParser.Parse(line).Select(a => System.Text.Encoding.UTF8.GetString(a)).ToArray();
            var sent = args.Skip(1).Select((a, n) => n == 0 ? (object)(session.Prefix + a) : a).ToArray();
            var started = Stopwatch.GetTimestamp();
            await db.ExecuteAsync(args[0], sent);
            raw.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);

            started = Stopwatch.GetTimestamp();
            reply = await executor.ExecuteAsync(session, line);
            var wall = Stopwatch.GetElapsedTime(started);
            var redisTime = TimeSpan.FromTicks(reply.Trace.Commands.Sum(c => c.Elapsed.Ticks));
            total.Add(wall.TotalMicroseconds);
            overhead.Add((wall - redisTime).TotalMicroseconds);
            calls.Add(reply.Trace.Commands.Count);

            // The app's workbench also asks the rate limiter before each line: one EVALSHA.
            started = Stopwatch.GetTimestamp();
            await limiter.CheckAsync(RateLimitAlgorithm.TokenBucket, "wb-" + session.Learner.Value, rule);
            rate.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        rate.Sort();

        overhead.Sort();
        raw.Sort();
        total.Sort();
        Console.WriteLine("| Per console line | p50 | p99 |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| Workbench overhead (line wall time − its Redis calls' wall time) | {Us(Percentile(overhead, 50))} µs | {Us(Percentile(overhead, 99))} µs |");
        Console.WriteLine($"| Raw round trip of the same command | {Us(Percentile(raw, 50))} µs | {Us(Percentile(raw, 99))} µs |");
        Console.WriteLine($"| Whole line through the workbench | {Us(Percentile(total, 50))} µs | {Us(Percentile(total, 99))} µs |");
        Console.WriteLine($"| The rate-limit check the app adds per line (one EVALSHA) | {Us(Percentile(rate, 50))} µs | {Us(Percentile(rate, 99))} µs |");
        Console.WriteLine();
        Console.WriteLine($"{iterations} lines over {Lines.Length} commands of all nine types, raw and workbench interleaved. Traced Redis calls per line: " +
            $"{calls.Average().ToString("0.00", Inv)} on average (the command, and for a line that may create a key the key-count check). " +
            $"Goal: overhead ≤ 50 µs at p50 — **{(Percentile(overhead, 50) <= 50 ? "met" : "not met")}**.");
        Console.WriteLine();
    }

    private static async Task LearnersAsync(WorkbenchExecutor executor, int learners, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, learners).Select(n => Task.Run(async () =>
        {
            var session = executor.OpenSession(LearnerId.New());
            var random = new Random(n);
            var latencies = new List<double>();
            long errors = 0;
            var i = random.Next(Lines.Length);
            // Learners start over the first second, then type a line every 0.5–1.5 s.
            await Task.Delay(random.Next(1000));
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var reply = await executor.ExecuteAsync(session, Lines[i++ % Lines.Length]);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (reply.IsError)
                {
                    errors++;
                }

                try
                {
                    await Task.Delay(500 + random.Next(1000), stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return (latencies, errors);
        })).ToArray();
        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = results.SelectMany(r => r.latencies).Order().ToList();
        var errors = results.Sum(r => r.errors);
        Console.WriteLine("| Learners typing at once | Lines/s | p50 | p95 | p99 | Errors |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {learners} | {(all.Count / elapsed.TotalSeconds).ToString("N0", Inv)} | {Ms(Percentile(all, 50))} ms | {Ms(Percentile(all, 95))} ms | {Ms(Percentile(all, 99))} ms | {errors} |");
        Console.WriteLine();
        Console.WriteLine($"Each learner its own workbench session (own key space), one line every 0.5–1.5 s for {duration.TotalSeconds.ToString("0", Inv)} s, " +
            "through one WorkbenchExecutor (one app instance's code path, without the Blazor circuit) and the app's default limits.");
    }

    private static string Us(double value) => value.ToString("0.0", Inv);
}
