using System.Globalization;
using BlazorRedis.Core.Metrics;
using Microsoft.AspNetCore.SignalR.Client;

namespace BlazorRedis.Bench;

/// <summary>Small helpers the load drivers share: argument parsing, percentiles, the app process's memory and CPU, the metrics hub.</summary>
internal static class Bench
{
    public static CultureInfo Inv => CultureInfo.InvariantCulture;

    public static int[] Counts(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, Inv))];

    public static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, Inv));

    /// <summary>The nearest-rank percentile of <paramref name="sorted"/> (0..100); NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    /// <summary>Resident memory of a process in KiB (VmRSS in /proc/&lt;pid&gt;/status).</summary>
    public static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv);
            }
        }

        throw new InvalidOperationException($"No VmRSS for process {pid}.");
    }

    /// <summary>User + system CPU time a process has used so far (from /proc/&lt;pid&gt;/stat).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv); // utime, stime (fields 14 and 15)
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>Waits, then reads the app's memory, so the allocations of the last step have had a moment to settle.</summary>
    public static async Task<long> SettledRssKiB(int pid)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        return RssKiB(pid);
    }

    /// <summary>The share of one core the process used over <paramref name="span"/>.</summary>
    public static async Task<double> CpuShareAsync(int pid, TimeSpan span)
    {
        var before = CpuTime(pid);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(span);
        return (CpuTime(pid) - before) / clock.Elapsed;
    }

    /// <summary>A started client of the app's /hubs/metrics that hands every snapshot to <paramref name="onSnapshot"/>.</summary>
    public static async Task<HubConnection> OpenMetricsHubAsync(string baseUrl, Action<MetricsSnapshot> onSnapshot)
    {
        var connection = new HubConnectionBuilder().WithUrl(baseUrl.TrimEnd('/') + "/hubs/metrics").Build();
        connection.On("ReceiveSnapshot", onSnapshot);
        await connection.StartAsync();
        return connection;
    }

    public static string Mib(long kib) => (kib / 1024.0).ToString("0.0", Inv);

    public static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "0.00" : "0", Inv);
}
