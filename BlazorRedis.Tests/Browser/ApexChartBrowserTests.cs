using System.Text.Json;
using BlazorRedis.App.Components.Shared.Charts;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// The chart interop module, driven in real Chromium with series the server really sends: a load whose reads come every
/// other second (nulls between the points) and an empty window (only nulls).
/// </summary>
public class ApexChartBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Script = """
        async ([modulePath, json]) => {
          const chart = await import(modulePath);
          const config = JSON.parse(json);
          const host = document.createElement('div');
          host.style.width = '600px';
          document.body.appendChild(host);
          chart.create(host, config);
          await new Promise(r => setTimeout(r, 300));
          const paths = [...host.querySelectorAll('.apexcharts-series path.apexcharts-line')].map(p => p.getAttribute('d') || '');
          const labels = [...host.querySelectorAll('.apexcharts-yaxis-label')].map(l => l.textContent || '');
          chart.dispose(host);
          host.remove();
          return JSON.stringify({ paths, labels });
        }
        """;

    private static ChartConfig Config(params double?[] values)
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-values.Length);
        var series = new ChartSeries("Cache p50", values.Select((v, i) => new ChartPoint(start.AddSeconds(i), v)).ToList());
        return new ChartConfig("line", 300, "ms", "ms", 1, Logarithmic: true, null, null, 60_000, "light", ["#2e7d32"], [ChartSeriesData.From(series)]);
    }

    private async Task<ChartResult> DrawAsync(ChartConfig config)
    {
        var page = await browser.OpenAsync("/metrics");
        var json = await page.EvaluateAsync<string>(Script, new object[] { ApexChart.ModulePath, JsonSerializer.Serialize(config, JsonSerializerOptions.Web) });
        return JsonSerializer.Deserialize<ChartResult>(json, JsonSerializerOptions.Web)!;
    }

    [Fact]
    public async Task Points_with_empty_seconds_between_them_are_joined_into_a_line()
    {
        // Reads in every other second, as the load generator's workers make them against a 2,000 ms database.
        var result = await DrawAsync(Config(0.4, null, 0.5, null, 0.45, null, 0.6, null, 0.5));

        var line = Assert.Single(result.Paths);
        Assert.Contains('L', line);
    }

    [Fact]
    public async Task An_empty_window_prints_no_huge_number_on_the_axis()
    {
        var result = await DrawAsync(Config(null, null, null, null));

        Assert.DoesNotContain(result.Labels, l => l.Contains("e+", StringComparison.OrdinalIgnoreCase) || l.Contains("1.797", StringComparison.Ordinal) || l.Contains("Infinity", StringComparison.Ordinal));
    }

    public sealed record ChartResult(string[] Paths, string[] Labels);
}
