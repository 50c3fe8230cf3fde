namespace Platform.Runtime.Execution.Imports;

/// <summary>A sheet read from an uploaded CSV or Excel file: the header row and the non-empty data rows.</summary>
public sealed record ImportSheet(IReadOnlyList<string> Headers, IReadOnlyList<ImportRow> Rows);
