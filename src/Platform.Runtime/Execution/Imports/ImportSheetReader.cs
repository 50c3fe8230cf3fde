using MiniExcelLibs;

namespace Platform.Runtime.Execution.Imports;

/// <summary>Reads an uploaded <c>.csv</c> or <c>.xlsx</c> into an <see cref="ImportSheet"/> (first sheet, first row is the header).</summary>
public static class ImportSheetReader
{
    public const int MaxRows = 10_000;

    public static ImportSheet ReadCsv(byte[] bytes) =>
        Build(CsvText.Parse(CsvText.Decode(bytes)).Select(r => (IReadOnlyList<object?>)r.Cast<object?>().ToList()));

    public static ImportSheet ReadXlsx(Stream stream)
    {
        try
        {
            // Without a header row MiniExcel keys cells by column letter in order and yields empty rows in place,
            // so the n-th row read is row n of the sheet.
            return Build(stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX)
                .Select(r => (IReadOnlyList<object?>)((IDictionary<string, object?>)r).Values.ToList()));
        }
        catch (Exception e) when (e is not ImportFileException and not OperationCanceledException)
        {
            throw new ImportFileException($"无法读取 Excel 文件 / not a readable .xlsx file: {e.Message}");
        }
    }

    private static ImportSheet Build(IEnumerable<IReadOnlyList<object?>> records)
    {
        List<string>? headers = null;
        var rows = new List<ImportRow>();
        var number = 0;
        foreach (var cells in records)
        {
            number++;
            if (headers is null)
            {
                headers = cells.Select(c => Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? string.Empty).ToList();
                continue;
            }

            if (cells.All(IsBlank))
            {
                continue;
            }

            if (rows.Count == MaxRows)
            {
                throw new ImportFileException($"最多导入 {MaxRows} 行 / at most {MaxRows} data rows per file");
            }

            rows.Add(new ImportRow(number, cells));
        }

        if (headers is null || headers.All(h => h.Length == 0))
        {
            throw new ImportFileException("文件为空或缺少表头行 / the file is empty or has no header row");
        }

        return new ImportSheet(headers, rows);
    }

    /// <summary>Whether a cell holds nothing (null or only white space).</summary>
    public static bool IsBlank(object? cell) => cell is null || (cell is string s && string.IsNullOrWhiteSpace(s));
}
