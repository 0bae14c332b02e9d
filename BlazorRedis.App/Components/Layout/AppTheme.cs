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

    /// <summary>
    /// The presenter's high-contrast theme: black on white (or white on black), deeper accents, darker lines. A projector
    /// washes colours out, so every text colour here is well above 7:1 (WCAG AAA) where the normal theme aims at 4.5:1.
    /// </summary>
    public static MudTheme Presenter { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#9E1A10",
            Secondary = "#0A4FA8",
            Tertiary = "#0F5A26",
            Success = "#0F5A26",
            Info = "#0A4FA8",
            Warning = "#6B4700",
            Error = "#9E1A10",
            TextPrimary = "#000000",
            TextSecondary = "#1F2328",
            ActionDefault = "#000000",
            LinesDefault = "#3D444D",
            TableLines = "#3D444D",
            Divider = "#3D444D",
            AppbarBackground = "#000000",
            AppbarText = "#FFFFFF",
            Background = "#FFFFFF",
            Surface = "#FFFFFF",
            DrawerBackground = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#FF8A80",
            Secondary = "#79B8FF",
            Tertiary = "#56D364",
            Success = "#56D364",
            Info = "#79B8FF",
            Warning = "#E3B341",
            Error = "#FF8A80",
            PrimaryContrastText = "#000000",
            SecondaryContrastText = "#000000",
            TertiaryContrastText = "#000000",
            SuccessContrastText = "#000000",
            InfoContrastText = "#000000",
            WarningContrastText = "#000000",
            ErrorContrastText = "#000000",
            TextPrimary = "#FFFFFF",
            TextSecondary = "#E6EDF3",
            ActionDefault = "#FFFFFF",
            LinesDefault = "#B1BAC4",
            TableLines = "#B1BAC4",
            Divider = "#B1BAC4",
            AppbarBackground = "#000000",
            Background = "#000000",
            Surface = "#0D1117",
            DrawerBackground = "#0D1117",
        },
        Typography = Theme.Typography,
        LayoutProperties = Theme.LayoutProperties,
    };
}
