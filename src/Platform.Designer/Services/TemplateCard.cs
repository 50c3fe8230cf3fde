namespace Platform.Designer.Services;

/// <summary>A bundled template a new app may copy.</summary>
public sealed record TemplateCard(string Key, string Name, string? NameEn, string? Description);
