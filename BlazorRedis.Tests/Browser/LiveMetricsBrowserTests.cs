using System.Text.RegularExpressions;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

public class LiveMetricsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task<int> PointsAsync(IPage page, string chart) =>
        int.Parse(await page.Locator($"[data-testid={chart}]").GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_charts_gain_points_while_load_runs()
    {
        var page = await browser.OpenAsync("/metrics");
        await page.Locator("[data-testid=latency-chart][data-points]").WaitForAsync();
        await page.Locator("[data-testid=hit-rate-chart] .apexcharts-canvas").WaitForAsync();
        var latencyBefore = await PointsAsync(page, "latency-chart");
        var hitRateBefore = await PointsAsync(page, "hit-rate-chart");

        // Load: reads recorded through the app's own CacheMetrics, as the cache service records them.
        var metrics = browser.App.Services.GetRequiredService<CacheMetrics>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var load = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                metrics.RecordHit(TimeSpan.FromMilliseconds(0.3 + n % 5 * 0.1));
                if (n++ % 4 == 0)
                {
                    metrics.RecordMiss();
                    metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(20));
                }

                await Task.Delay(5, CancellationToken.None);
            }
        }, TestContext.Current.CancellationToken);
        try
        {
            await page.WaitForFunctionAsync(
                "([before]) => Number(document.querySelector('[data-testid=hit-rate-chart]').dataset.points) >= before + 2",
                new object[] { hitRateBefore },
                new PageWaitForFunctionOptions { Timeout = 20_000 });
            await page.WaitForFunctionAsync(
                "([before]) => Number(document.querySelector('[data-testid=latency-chart]').dataset.points) >= before + 8",
                new object[] { latencyBefore },
                new PageWaitForFunctionOptions { Timeout = 20_000 });

            // The stat shows the last second's hit rate: checked while the load runs (a quiet second shows "–" again).
            await Assertions.Expect(page.Locator("[data-testid=stat-hit-rate]")).Not.ToHaveTextAsync(new Regex("^–$"));
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        Assert.True(await PointsAsync(page, "latency-chart") > latencyBefore);
        await Assertions.Expect(page.Locator("[data-testid=latency-chart] .apexcharts-series path").First).ToBeAttachedAsync();

        // The charts follow the dashboard's theme toggle.
        await page.Locator("[data-testid=latency-chart] .apexcharts-canvas.apexcharts-theme-light").WaitForAsync();
        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await page.Locator("[data-testid=latency-chart] .apexcharts-canvas.apexcharts-theme-dark").WaitForAsync();
        await page.Locator("[data-testid=hit-rate-chart] .apexcharts-canvas.apexcharts-theme-dark").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "live-metrics.png"), FullPage = true });
    }
}
