namespace Platform.Designer.Services;

/// <summary>An app's customer portal: its key and heading.</summary>
public sealed record CustomerPortalView(string App, string Title, string? TitleEn);
