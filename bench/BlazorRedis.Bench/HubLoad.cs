using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// Opens SignalR connections to /hubs/metrics in steps (50, 100, 200, 400 in total) and, at each step, measures how
/// late each ReceiveSnapshot arrives (snapshot timestamp → receipt, same clock), the app's memory and its CPU.
/// </summary>
internal static class HubLoad
{
    public static async Task RunAsync(string baseUrl, int appPid, int[] counts, TimeSpan window)
    {
        var connections = new List<HubConnection>();
        var delays = new ConcurrentQueue<double>();
        var baseline = await SettledRssKiB(appPid);
        var idleCpu = await CpuShareAsync(appPid, TimeSpan.FromSeconds(2));
        Console.WriteLine("| Dashboards | Snapshots received | Delay p50 | Delay p99 | App RSS | RSS per dashboard | App CPU |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var n in counts)
            {
                while (connections.Count < n)
                {
                    var batch = Enumerable.Range(0, Math.Min(25, n - connections.Count)).Select(_ => OpenAsync(baseUrl, delays)).ToList();
                    connections.AddRange(await Task.WhenAll(batch));
                }

                var rss = await SettledRssKiB(appPid);
                delays.Clear();
                var cpu0 = CpuTime(appPid);
                var clock = Stopwatch.StartNew();
                await Task.Delay(window);
                var cpu = (CpuTime(appPid) - cpu0) / clock.Elapsed;
                var sorted = delays.ToArray();
                Array.Sort(sorted);
                var perConnection = (rss - baseline) / (double)n;
                Console.WriteLine(
                    $"| {n} | {sorted.Length} | {Ms(Percentile(sorted, 50))} ms | {Ms(Percentile(sorted, 99))} ms | {Mib(rss)} MiB " +
                    $"| {perConnection.ToString("0", Inv)} KiB | {(cpu * 100).ToString("0", Inv)} % of a core |");
            }
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }

        Console.WriteLine();
        Console.WriteLine($"Baseline before the first connection: app RSS {Mib(baseline)} MiB, app CPU {(idleCpu * 100).ToString("0", Inv)} % of a core. Per dashboard = (RSS at N − baseline) / N; " +
            "the server publishes one snapshot a second, so a step of " + window.TotalSeconds.ToString("0", Inv) +
            " s expects about that many snapshots per connection. Delay = receipt time − snapshot timestamp (same machine clock), " +
            "and includes the load driver's own scheduling on the same 2 cores.");
    }

    private static Task<HubConnection> OpenAsync(string baseUrl, ConcurrentQueue<double> delays) =>
        OpenMetricsHubAsync(baseUrl, s => delays.Enqueue((DateTimeOffset.UtcNow - s.Timestamp).TotalMilliseconds));
}
