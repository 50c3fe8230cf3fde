namespace Platform.Designer.Components.FormDesign;

/// <summary>How the palette shows a field type: its Chinese and English name and a Material icon.</summary>
public sealed record FieldTypeInfo(string Type, string Label, string LabelEn, string Icon);
