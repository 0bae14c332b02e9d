namespace BlazorRedis.App.Components.Shared.Charts;

/// <summary>How the series are drawn.</summary>
public enum ChartKind
{
    Line,
    Area,
}
