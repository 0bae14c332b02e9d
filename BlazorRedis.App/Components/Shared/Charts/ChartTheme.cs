namespace BlazorRedis.App.Components.Shared.Charts;

/// <summary>Light, dark, or follow the dashboard's theme toggle.</summary>
public enum ChartTheme
{
    Auto,
    Light,
    Dark,
}
