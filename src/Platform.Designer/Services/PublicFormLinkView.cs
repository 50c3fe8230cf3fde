namespace Platform.Designer.Services;

/// <summary>A public form's link for the publish dialog: URL, QR code image URL and the embed snippet.</summary>
public sealed record PublicFormLinkView(string Form, string Entity, string Title, bool Enabled, string Token, string Url, string QrCodeUrl, string EmbedHtml);
