namespace BlazorRedis.App.Components.Shared.Charts;

/// <summary>One point of a time series; a null value draws a gap (a second with nothing to measure).</summary>
public readonly record struct ChartPoint(DateTimeOffset Time, double? Value);
