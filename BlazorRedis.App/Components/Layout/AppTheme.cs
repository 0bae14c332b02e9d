using MudBlazor;

namespace BlazorRedis.App.Components.Layout;

/// <summary>Redis red on a calm background; large enough type to read from the back of a classroom.</summary>
public static class AppTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#D82C20",
            Secondary = "#1F6FEB",
            Tertiary = "#2DA44E",
            AppbarBackground = "#161B22",
            AppbarText = "#FFFFFF",
            Background = "#F6F8FA",
            DrawerBackground = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#FF6B5E",
            Secondary = "#58A6FF",
            Tertiary = "#3FB950",
            AppbarBackground = "#0D1117",
            Background = "#0D1117",
            Surface = "#161B22",
            DrawerBackground = "#161B22",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
