using QRCoder;

namespace Platform.Core.Printing;

/// <summary>QR codes printed inline as PNG data URIs (the print page loads nothing from elsewhere).</summary>
public static class PrintQrCode
{
    /// <summary>A <c>data:image/png;base64,…</c> QR code of <paramref name="text"/> (error correction M, 6 px modules: sharp at 25–30 mm).</summary>
    public static string DataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
    }
}
