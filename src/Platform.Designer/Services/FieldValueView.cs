namespace Platform.Designer.Services;

/// <summary>A field of a record as the detail page shows it: its text, the file ids of uploads, the rows of a sub-table.</summary>
public sealed record FieldValueView(string Key, string? Text, IReadOnlyList<string> Files, SubTableView? Table);
