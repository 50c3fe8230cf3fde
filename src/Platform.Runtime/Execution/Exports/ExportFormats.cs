namespace Platform.Runtime.Execution.Exports;

/// <summary>Parses <c>format=csv|xlsx</c> and names each format's extension and content type.</summary>
public static class ExportFormats
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>The message of the 422 for any other value.</summary>
    public const string Invalid = "须为 csv 或 xlsx / must be csv or xlsx";

    /// <summary>csv or xlsx (any case); no value means xlsx.</summary>
    public static bool TryParse(string? raw, out ExportFormat format)
    {
        switch (raw?.Trim().ToLowerInvariant())
        {
            case null or "" or "xlsx":
                format = ExportFormat.Xlsx;
                return true;
            case "csv":
                format = ExportFormat.Csv;
                return true;
            default:
                format = ExportFormat.Xlsx;
                return false;
        }
    }

    public static string Extension(ExportFormat format) => format == ExportFormat.Csv ? "csv" : "xlsx";

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv ? CsvContentType : XlsxContentType;

    /// <summary>A download name: <paramref name="name"/> without characters that file systems refuse, plus the extension.</summary>
    public static string FileName(string name, ExportFormat format)
    {
        var invalid = new HashSet<char>(Path.GetInvalidFileNameChars()) { '\\', '/', ':', '*', '?', '"', '<', '>', '|' };
        var clean = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        return $"{(clean.Length == 0 ? "export" : clean)}.{Extension(format)}";
    }
}
