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

/// <summary>
/// Finds what a live chart must send when its window only slid: the points newer than the last one drawn, per series.
/// Null when anything else changed (other series, older points, a gap), and the whole window must be sent.
/// </summary>
public static class ChartAppend
{
    public static IReadOnlyList<ChartSeriesData>? TryFresh(IReadOnlyList<ChartSeries>? drawn, IReadOnlyList<ChartSeries> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (drawn is null || drawn.Count != next.Count || next.Count == 0)
        {
            return null;
        }

        var fresh = new List<ChartSeriesData>(next.Count);
        for (var i = 0; i < next.Count; i++)
        {
            var (before, after) = (drawn[i], next[i]);
            if (before.Name != after.Name || before.Points.Count == 0 || after.Points.Count == 0)
            {
                return null;
            }

            var last = before.Points[^1];
            var start = after.Points.Count;
            while (start > 0 && after.Points[start - 1].Time > last.Time)
            {
                start--;
            }

            // The new window must still hold the last drawn point unchanged, and the points before it must be a tail of the drawn ones.
            var kept = start;
            if (kept == 0 || after.Points[kept - 1] != last || kept > before.Points.Count
                || after.Points[0] != before.Points[before.Points.Count - kept])
            {
                return null;
            }

            fresh.Add(new ChartSeriesData(after.Name, [.. after.Points.Skip(start).Select(p => new double?[] { p.Time.ToUnixTimeMilliseconds(), p.Value })]));
        }

        return fresh;
    }
}
