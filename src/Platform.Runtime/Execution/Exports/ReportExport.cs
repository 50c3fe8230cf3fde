using Platform.Runtime.Execution.Reports;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// A computed report as a sheet: the column labels as the header, dimension cells as their labels (质量问题, not
/// quality), measure cells as the numbers <c>/data</c> returns.
/// </summary>
public static class ReportExport
{
    public static IReadOnlyList<string> Headers(ReportData data) => data.Columns.Select(c => c.Label).ToList();

    public static IEnumerable<object?[]> Rows(ReportData data) =>
        data.Rows.Select(row => data.Columns.Select(c => Cell(row, c)).ToArray());

    /// <summary>The file in the given format.</summary>
    public static byte[] ToBytes(ReportData data, ExportFormat format) => format == ExportFormat.Csv
        ? CsvExport.ToBytes(Headers(data), Rows(data))
        : XlsxExport.ToBytes(Headers(data), Rows(data), data.Name);

    /// <summary>What one cell shows: a dimension's label, a measure's value.</summary>
    public static object? Cell(IReadOnlyDictionary<string, object?> row, ReportColumn column) => column.Role == "dimension"
        ? (row.TryGetValue(column.Key + "Label", out var label) ? label : null) ?? (row.TryGetValue(column.Key, out var raw) ? raw : null)
        : row.TryGetValue(column.Key, out var value) ? value : null;
}
