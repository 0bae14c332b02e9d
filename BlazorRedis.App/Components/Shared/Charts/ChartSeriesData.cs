namespace BlazorRedis.App.Components.Shared.Charts;

/// <summary>A series as ApexCharts wants it: <c>{ name, data: [[unixMs, y], …] }</c>.</summary>
public sealed record ChartSeriesData(string Name, IReadOnlyList<double?[]> Data)
{
    public static ChartSeriesData From(ChartSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return new(series.Name, series.Points.Select(p => new double?[] { p.Time.ToUnixTimeMilliseconds(), p.Value }).ToList());
    }
}
