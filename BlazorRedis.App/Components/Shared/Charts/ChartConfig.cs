namespace BlazorRedis.App.Components.Shared.Charts;

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
