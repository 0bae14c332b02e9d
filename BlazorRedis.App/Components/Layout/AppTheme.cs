using MudBlazor;

namespace BlazorRedis.App.Components.Layout;

/// <summary>
/// Redis red on a calm background; large enough type to read from the back of a classroom. Every colour that carries
/// text is at least 4.5:1 against what it sits on (WCAG AA, checked by axe in the browser tests): the light palette
/// darkens MudBlazor's defaults, the dark palette keeps its bright accents and writes dark text on them.
/// </summary>
public static class AppTheme
{
    // White on the dark theme's bright accents is about 2.5:1; the page background on them is 6.5:1 or more.
    private const string OnBright = "#0D1117";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#C0261B",
            Secondary = "#0969DA",
            Tertiary = "#1A7F37",
            Success = "#1A7F37",
            Info = "#0969DA",
            Warning = "#9A6700",
            Error = "#C62828",
            TextSecondary = "#5F6368",
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
            Success = "#3FB950",
            Info = "#58A6FF",
            Warning = "#D29922",
            Error = "#FF7B72",
            PrimaryContrastText = OnBright,
            SecondaryContrastText = OnBright,
            TertiaryContrastText = OnBright,
            SuccessContrastText = OnBright,
            InfoContrastText = OnBright,
            WarningContrastText = OnBright,
            ErrorContrastText = OnBright,
            TextSecondary = "#9DA5B0",
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
