namespace BlazorRedis.App.Components.Shared.Charts;

/// <summary>One point of a time series; a null value draws a gap (a second with nothing to measure).</summary>
public readonly record struct ChartPoint(DateTimeOffset Time, double? Value);

/// <summary>A named line of points, with an optional CSS colour.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, string? Color = null);

/// <summary>How the series are drawn.</summary>
public enum ChartKind
{
    Line,
    Area,
}

/// <summary>Light, dark, or follow the dashboard's theme toggle.</summary>
public enum ChartTheme
{
    Auto,
    Light,
    Dark,
}

/// <summary>What the JS module receives to create a chart (serialized camelCase by Blazor's interop).</summary>
public sealed record ChartConfig(
    string Kind,
    int Height,
    string? YTitle,
    string? Unit,
    int Decimals,
    bool Logarithmic,
    double? YMin,
    double? YMax,
    int? WindowMs,
    string Theme,
    IReadOnlyList<string?> Colors,
    IReadOnlyList<ChartSeriesData> Series);

/// <summary>A series as ApexCharts wants it: <c>{ name, data: [[unixMs, y], …] }</c>.</summary>
public sealed record ChartSeriesData(string Name, IReadOnlyList<double?[]> Data)
{
    public static ChartSeriesData From(ChartSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return new(series.Name, series.Points.Select(p => new double?[] { p.Time.ToUnixTimeMilliseconds(), p.Value }).ToList());
    }
}
