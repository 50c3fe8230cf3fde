namespace Platform.Runtime.Execution.Exports;

/// <summary>The file formats of downloads and of scheduled report attachments.</summary>
public enum ExportFormat
{
    /// <summary>Excel workbook (one sheet, header row, numbers as numbers).</summary>
    Xlsx,

    /// <summary>UTF-8 CSV with BOM, RFC 4180 quoting, formula-like text neutralised.</summary>
    Csv,
}
