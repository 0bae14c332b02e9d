namespace BlazorRedis.App.Components.Shared.Charts;

/// <summary>A named line of points, with an optional CSS colour.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, string? Color = null);
