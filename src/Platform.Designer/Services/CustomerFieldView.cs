namespace Platform.Designer.Services;

/// <summary>A customer-visible field: label and value text, zh-CN and English.</summary>
public sealed record CustomerFieldView(string Key, string Label, string? LabelEn, string Text, string? TextEn);
