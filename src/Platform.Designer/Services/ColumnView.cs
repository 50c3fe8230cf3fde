namespace Platform.Designer.Services;

/// <summary>A report column: dimension or measure.</summary>
public sealed record ColumnView(string Key, string Label, string Role);
