using System.Diagnostics;
using Microsoft.Playwright;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// The real-browser check next to <see cref="BlazorCircuitLoad"/>: opens a few Blazor circuits on /metrics in one headless
/// Chromium (one context and page per circuit) and counts the charts' redraws in the pages themselves, so the bench shows
/// the snapshots really reach drawn charts. One Chromium on 2 cores keeps up with about 20 such pages, so the scale steps
/// use the simulated browsers instead.
/// </summary>
internal static class CircuitLoad
{
    private static long _bytesReceived;

    public static async Task RunAsync(string baseUrl, int appPid, int[] counts, TimeSpan window)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var contexts = new List<IBrowserContext>();
        var baseline = await SettledRssKiB(appPid);
        var idleCpu = await CpuShareAsync(appPid, TimeSpan.FromSeconds(2));
        Console.WriteLine("| Circuits | Opened in | App RSS | RSS per circuit | App CPU | Chart redraws seen / s / circuit | Server → browser bytes / s / circuit |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var n in counts)
            {
                var opening = Stopwatch.StartNew();
                while (contexts.Count < n)
                {
                    var batch = Enumerable.Range(0, Math.Min(5, n - contexts.Count)).Select(_ => OpenAsync(browser, baseUrl)).ToList();
                    contexts.AddRange(await Task.WhenAll(batch));
                }

                opening.Stop();
                var rss = await SettledRssKiB(appPid);
                var before = await UpdatesAsync(contexts);
                var bytes0 = Interlocked.Read(ref _bytesReceived);
                var cpu0 = CpuTime(appPid);
                var clock = Stopwatch.StartNew();
                await Task.Delay(window);
                var cpu = (CpuTime(appPid) - cpu0) / clock.Elapsed;
                var bytes = (Interlocked.Read(ref _bytesReceived) - bytes0) / clock.Elapsed.TotalSeconds / n;
                var redraws = (await UpdatesAsync(contexts) - before) / clock.Elapsed.TotalSeconds / n / 3; // three charts per page (latency, hit rate, requests/s)
                Console.WriteLine(
                    $"| {n} | {opening.Elapsed.TotalSeconds.ToString("0.0", Inv)} s | {Mib(rss)} MiB | {((rss - baseline) / (double)n).ToString("0", Inv)} KiB " +
                    $"| {(cpu * 100).ToString("0", Inv)} % of a core | {redraws.ToString("0.00", Inv)} | {bytes.ToString("N0", Inv)} |");
            }
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Baseline before the first circuit: app RSS {Mib(baseline)} MiB, app CPU {(idleCpu * 100).ToString("0", Inv)} % of a core. One Chromium, one context per circuit, " +
            "opened 5 at a time and each waited for until interactive. \"Opened in\" is driver time for that step; " +
            "\"Chart redraws\" counts the charts' updates in the browsers (1.00 means every chart got every second's snapshot). " +
            "This row checks the simulated browsers above against real ones (same bytes per circuit, charts that really redraw); " +
            "one Chromium on 2 cores falls behind at about 30 such pages, which is why the scale steps do not use it.");
    }

    private static async Task<IBrowserContext> OpenAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
            Interlocked.Add(ref _bytesReceived, frame.Binary?.Length ?? System.Text.Encoding.UTF8.GetByteCount(frame.Text ?? ""));
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/metrics");
        await page.Locator("[data-interactive='true']").WaitForAsync();
        return context;
    }

    /// <summary>The sum of the charts' update counters (data-updates, kept by the chart's JS module) over every page.</summary>
    private static async Task<double> UpdatesAsync(List<IBrowserContext> contexts)
    {
        var counts = await Task.WhenAll(contexts.Select(c => c.Pages[0].EvaluateAsync<double>(
            "() => [...document.querySelectorAll('.br-chart')].reduce((s, e) => s + Number(e.dataset.updates || 0), 0)")));
        return counts.Sum();
    }
}
