using System.Globalization;

namespace BlazorRedis.App.Components.Layout;

/// <summary>
/// The projector layout: larger type (a zoom of <see cref="MinZoom"/>–<see cref="MaxZoom"/> %), no drawer, a high-contrast
/// theme and a big trace panel. Remembered per browser in the <c>br-presenter</c> cookie (the zoom, or nothing when
/// off), so the next page is prerendered in it, as <c>br-theme</c> does for the theme.
/// </summary>
public static class PresenterMode
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "br-presenter";

    /// <summary>The smallest zoom, in percent.</summary>
    public const int MinZoom = 100;

    /// <summary>The largest zoom, in percent.</summary>
    public const int MaxZoom = 200;

    /// <summary>One click of the zoom buttons.</summary>
    public const int Step = 25;

    /// <summary>The zoom presenter mode starts at.</summary>
    public const int DefaultZoom = 150;

    /// <summary>The zoom a cookie asks for, clamped to the range; 0 (off) for a missing or unreadable one.</summary>
    public static int FromCookie(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var zoom) && zoom > 0 ? Clamp(zoom) : 0;

    /// <summary><paramref name="zoom"/> within <see cref="MinZoom"/>–<see cref="MaxZoom"/>.</summary>
    public static int Clamp(int zoom) => Math.Clamp(zoom, MinZoom, MaxZoom);
}
