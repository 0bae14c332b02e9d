using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// Holds real Blazor Server circuits on /metrics with <see cref="BlazorCircuitClient"/> (no browser) in steps, and at
/// each step measures the app's memory and CPU per circuit, the render batches and chart updates each circuit gets per
/// second, the server → client bytes, and the delay from a metrics snapshot to the chart update it caused. One extra
/// SignalR client on /hubs/metrics supplies the snapshots' timestamps.
/// </summary>
internal static class BlazorCircuitLoad
{
    private const int OpenConcurrency = 10;
    private static readonly TimeSpan SettleAfterOpening = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(string baseUrl, int appPid, int[] counts, TimeSpan window, string path = "/metrics")
    {
        var counters = new CircuitCounters();
        var snapshots = new ConcurrentQueue<DateTimeOffset>();
        await using var monitor = await OpenMetricsHubAsync(baseUrl, s => snapshots.Enqueue(s.Timestamp));

        var clients = new List<BlazorCircuitClient>();
        var failedOpens = 0;
        var baseline = await SettledRssKiB(appPid);
        var idleCpu = await CpuShareAsync(appPid, TimeSpan.FromSeconds(2));
        Console.WriteLine("| Circuits | Opened in | App RSS | RSS per circuit | App CPU | Render batches / s / circuit | Chart updates / s / chart " +
            "| Server → client bytes / s / circuit | Snapshot → chart p50 | Snapshot → chart p99 | Circuits lost or errored | Load driver CPU |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var n in counts)
            {
                var opening = Stopwatch.StartNew();
                var failedBefore = Interlocked.Read(ref counters.Failed);
                while (clients.Count < n)
                {
                    var batch = Enumerable.Range(0, Math.Min(OpenConcurrency, n - clients.Count))
                        .Select(_ => TryOpenAsync(baseUrl, path, counters)).ToList();
                    foreach (var client in await Task.WhenAll(batch))
                    {
                        if (client is null)
                        {
                            failedOpens++;
                            if (failedOpens > 20)
                            {
                                throw new InvalidOperationException("More than 20 circuits failed to open; stopping. " +
                                    string.Join("; ", counters.ErrorMessages.Distinct().Take(5)));
                            }
                        }
                        else
                        {
                            clients.Add(client);
                        }
                    }
                }

                opening.Stop();
                await Task.Delay(SettleAfterOpening); // the opening's own work (prerender, JIT, GC) must not count as steady load
                var rss = await SettledRssKiB(appPid);
                var arrivals = new ConcurrentQueue<DateTimeOffset>();
                var batches0 = Interlocked.Read(ref counters.RenderBatches);
                var charts0 = Interlocked.Read(ref counters.ChartUpdates);
                var bytes0 = Interlocked.Read(ref counters.BytesReceived);
                var cpu0 = CpuTime(appPid);
                var driverCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                counters.Arrivals = arrivals;
                await Task.Delay(window);
                counters.Arrivals = null;
                var elapsed = clock.Elapsed;
                var cpu = (CpuTime(appPid) - cpu0) / elapsed;
                var driverCpu = (Process.GetCurrentProcess().TotalProcessorTime - driverCpu0) / elapsed;
                var perSecond = elapsed.TotalSeconds * n;
                var batches = (Interlocked.Read(ref counters.RenderBatches) - batches0) / perSecond;
                var charts = (Interlocked.Read(ref counters.ChartUpdates) - charts0) / perSecond / 3; // three charts per page (latency, hit rate, requests/s)
                var bytes = (Interlocked.Read(ref counters.BytesReceived) - bytes0) / perSecond;
                await SnapshotAfterAsync(snapshots, DateTimeOffset.UtcNow);
                var delays = Delays(arrivals, snapshots);
                var errors = Interlocked.Read(ref counters.Failed) - failedBefore;
                Console.WriteLine(
                    $"| {n} | {opening.Elapsed.TotalSeconds.ToString("0.0", Inv)} s | {Mib(rss)} MiB | {((rss - baseline) / (double)n).ToString("0", Inv)} KiB " +
                    $"| {(cpu * 100).ToString("0", Inv)} % of a core | {batches.ToString("0.00", Inv)} | {charts.ToString("0.00", Inv)} " +
                    $"| {bytes.ToString("N0", Inv)} | {Ms(Percentile(delays, 50))} ms | {Ms(Percentile(delays, 99))} ms | {errors} | {(driverCpu * 100).ToString("0", Inv)} % |");
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }

        Console.WriteLine();
        Console.WriteLine(
            $"Baseline before the first circuit: app RSS {Mib(baseline)} MiB, app CPU {(idleCpu * 100).ToString("0", Inv)} % of a core. " +
            "Each circuit is a simulated browser in the load driver, not a Chromium tab: its own cookies, a GET of the page, then a " +
            "WebSocket to /_blazor in the blazorpack protocol, started as blazor.web.js starts it (StartCircuit, then UpdateRootComponents " +
            "with the prerendered component markers and state). It acknowledges every render batch and answers every JS interop call " +
            "(ApexCharts import/create/append, MudBlazor's size and popover calls) with a browser-like success, so the server does all of " +
            $"its per-circuit work; only the drawing is skipped. Opened {OpenConcurrency} at a time, each waited for until both charts " +
            $"were created; memory and CPU are measured from {SettleAfterOpening.TotalSeconds + 1:0} s after the last one opened. Per circuit = (RSS at N − baseline) / N. Each circuit gets two render batches a second: the page's redraw " +
            "for the snapshot and the app bar's Redis status chip (its ping, on the status probe's own one-second timer). Chart updates " +
            "of 1.00 mean every snapshot reached every chart. Snapshot → chart = arrival of a chart's append call − timestamp of the " +
            "latest snapshot published before it (timestamps from one extra client on /hubs/metrics; one clock; it includes the " +
            "round trip of the page's render batch, which the server awaits before it calls the chart, and the driver's own scheduling " +
            "on the same cores). Bytes are WebSocket payload bytes, as a browser receives them. Lost or errored counts circuits that " +
            "failed to open, got JS.Error, or were closed by the server during the step.");
        if (!counters.ErrorMessages.IsEmpty)
        {
            Console.WriteLine();
            Console.WriteLine("Errors seen: " + string.Join("; ", counters.ErrorMessages.Distinct().Take(5)));
        }
    }

    private static async Task<BlazorCircuitClient?> TryOpenAsync(string baseUrl, string path, CircuitCounters counters)
    {
        try
        {
            return await BlazorCircuitClient.OpenAsync(baseUrl, path, counters, TimeSpan.FromSeconds(60));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null; // counted and noted by the client
        }
    }

    /// <summary>
    /// Waits (up to 5 s) until the monitor has received a snapshot published after <paramref name="end"/>: snapshots arrive
    /// in order, so then every snapshot a render batch of the window could answer is known, even one the monitor got late.
    /// </summary>
    private static async Task SnapshotAfterAsync(ConcurrentQueue<DateTimeOffset> snapshots, DateTimeOffset end)
    {
        var clock = Stopwatch.StartNew();
        while (!snapshots.Any(t => t > end) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }
    }

    /// <summary>For each arrival, the time since the latest snapshot published before it (ms), sorted.</summary>
    private static double[] Delays(ConcurrentQueue<DateTimeOffset> arrivals, ConcurrentQueue<DateTimeOffset> snapshots)
    {
        var published = snapshots.ToArray();
        Array.Sort(published);
        var delays = new List<double>();
        foreach (var arrival in arrivals)
        {
            var i = Array.BinarySearch(published, arrival);
            i = i >= 0 ? i : ~i - 1;
            if (i >= 0)
            {
                delays.Add((arrival - published[i]).TotalMilliseconds);
            }
        }

        var sorted = delays.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
