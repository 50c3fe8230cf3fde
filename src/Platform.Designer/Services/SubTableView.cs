namespace Platform.Designer.Services;

/// <summary>A sub-table's rows for display: its columns and each row's formatted cells.</summary>
public sealed record SubTableView(IReadOnlyList<ColumnView> Columns, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows);
