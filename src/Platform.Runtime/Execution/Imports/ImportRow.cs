namespace Platform.Runtime.Execution.Imports;

/// <summary>One data row of a sheet: its row number as the user sees it (the header is row 1) and its cells by column.</summary>
public sealed record ImportRow(int Number, IReadOnlyList<object?> Cells);
