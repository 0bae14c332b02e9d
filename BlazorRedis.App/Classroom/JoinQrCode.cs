using QRCoder;

namespace BlazorRedis.App.Classroom;

/// <summary>The join URL as a QR code in SVG (QRCoder's SvgQRCode): sharp at any projector size, no image files.</summary>
public static class JoinQrCode
{
    /// <summary>An SVG that scales to its container (viewBox, no fixed size).</summary>
    public static string Svg(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        var payload = new PayloadGenerator.Url(url).ToString();
        using var data = QRCodeGenerator.GenerateQrCode(payload, QRCodeGenerator.ECCLevel.Q);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(10, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
