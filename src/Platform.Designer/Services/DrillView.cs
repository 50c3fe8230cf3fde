namespace Platform.Designer.Services;

/// <summary>The records behind a chart point: a page of rows (formatted cells by column) and the total.</summary>
public sealed record DrillView(string Entity, string EntityLabel, IReadOnlyList<ColumnView> Columns, IReadOnlyList<DrillRow> Rows, long Total, string RecordsUrl);
