using System.Diagnostics;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Labs;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// Issue 11's per-learner caching labs, through the app's own <see cref="CachingLabs"/> on a real Redis: what a lab
/// costs (managed memory in the app and memory in Redis, after five cached reads and one write-behind write each), the
/// idle load on Redis of that many labs' write-behind workers, and a cache hit through a learner's lab beside one through
/// the shared catalog.
/// </summary>
internal static class LabsLoad
{
    public static async Task RunAsync(string redis, int learners)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "5",
            ["Caching:MaxLabs"] = Math.Max(learners, 1).ToString(Inv),
            ["Caching:LabWorkerIdleSeconds"] = "5",
        }).Build();
        // Admin mode only for INFO (the bench's own bookkeeping, a sandbox server bench/labs.sh starts); the labs never use it.
        var mux = await ConnectionMultiplexer.ConnectAsync($"{redis},abortConnect=false,allowAdmin=true");
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConnectionMultiplexer>(mux)
            .AddSingleton(new RedisTracer(mux))
            .AddSingleton(new RedisKeyspace($"br:bench:{Guid.NewGuid():N}:"))
            .AddSingleton(new CacheMetrics())
            .AddSingleton(new RedisCommandBudget(mux, TimeSpan.FromSeconds(5)))
            .AddCaching(configuration)
            .BuildServiceProvider();
        await using (services)
        {
            var labs = services.GetRequiredService<CachingLabs>();
            var server = mux.GetServer(mux.GetEndPoints()[0]);
            var redisBefore = await UsedMemoryAsync(server);
            var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
            var leases = new List<CachingLabLease>(learners);
            var opened = Stopwatch.StartNew();
            foreach (var _ in Enumerable.Range(0, learners))
            {
                var lease = labs.Open(LearnerId.New(), teacher: false);
                leases.Add(lease);
                foreach (var id in Enumerable.Range(1, 5))
                {
                    await lease.Lab.Reader.GetAsync(id);
                }

                await lease.Lab.WriteBehind.EnqueueAsync(1, new ProductInput { Name = "Desk", Category = "furniture", Price = 120m, Stock = 4 });
            }

            var openTime = opened.Elapsed;
            while (leases.Any(l => l.Lab.UnappliedWrites > 0))
            {
                await Task.Delay(100);
            }

            var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
            var redisAfter = await UsedMemoryAsync(server);
            await Task.Delay(2000); // the workers poll their empty queues
            var pollingOps = await OpsPerSecondAsync(server);
            await Task.Delay(6000); // past Caching:LabWorkerIdleSeconds (5 here, 30 by default) they have stopped
            var idleOps = await OpsPerSecondAsync(server);
            var running = leases.Count(l => l.Lab.WorkerRunning);

            // A cache hit through a learner's lab and through the shared catalog: the same code, the same one GET.
            var mine = leases[0].Lab;
            var shared = labs.Shared;
            await shared.Reader.GetAsync(1);
            var labHits = await HitsAsync(mine, 2000);
            var sharedHits = await HitsAsync(shared, 2000);

            Console.WriteLine($"{learners} learners' labs, each after 5 cached reads and one write-behind write applied by its own worker (opened in {openTime.TotalSeconds:0.0} s):");
            Console.WriteLine();
            Console.WriteLine("| Measure | Value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| App managed memory per lab (GC heap after a full collection) | {(managedAfter - managedBefore) / (double)learners / 1024:0.0} KiB |");
            Console.WriteLine($"| Redis memory per lab (`used_memory`, 5 cached products and their tag sets, the empty stream) | {(redisAfter - redisBefore) / (double)learners / 1024:0.0} KiB |");
            Console.WriteLine($"| Redis commands per second while {learners} lab workers poll their empty queues (`instantaneous_ops_per_sec`) | {pollingOps} |");
            Console.WriteLine($"| … after `Caching:LabWorkerIdleSeconds` with nothing to do ({running} workers still running) | {idleOps} |");
            Console.WriteLine($"| Cache hit through a learner's lab, p50 / p95 | {Ms(Percentile(labHits, 50))} / {Ms(Percentile(labHits, 95))} ms |");
            Console.WriteLine($"| Cache hit through the shared catalog, p50 / p95 | {Ms(Percentile(sharedHits, 50))} / {Ms(Percentile(sharedHits, 95))} ms |");
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }

    private static async Task<List<double>> HitsAsync(CachingLab lab, int count)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await lab.Reader.GetAsync(1);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return times;
    }

    private static async Task<long> UsedMemoryAsync(IServer server) => long.Parse(await InfoFieldAsync(server, "memory", "used_memory"), Inv);

    private static async Task<string> OpsPerSecondAsync(IServer server) => await InfoFieldAsync(server, "stats", "instantaneous_ops_per_sec");

    private static async Task<string> InfoFieldAsync(IServer server, string section, string field)
    {
        var info = await server.InfoAsync(section);
        return info.SelectMany(g => g).First(kv => kv.Key == field).Value;
    }
}
