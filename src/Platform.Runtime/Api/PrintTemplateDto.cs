namespace Platform.Runtime.Api;

/// <summary>A print template as <c>GET /api/apps/{app}/print-templates</c> lists it (the HTML is in the app's definition).</summary>
public sealed record PrintTemplateDto(string Key, string Entity, string Label, string? LabelEn, string Paper);
