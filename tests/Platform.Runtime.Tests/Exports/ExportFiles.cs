using System.Net;
using MiniExcelLibs;
using Platform.Runtime.Execution.Imports;

namespace Platform.Runtime.Tests.Exports;

/// <summary>Reads exported files back: the download's bytes, an xlsx or a csv as a header and rows of cells.</summary>
internal static class ExportFiles
{
    public static async Task<byte[]> DownloadAsync(HttpClient client, string url, string contentType, string fileName)
    {
        var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(fileName, disposition.FileNameStar);
        return bytes;
    }

    /// <summary>The first sheet: its first row as the header, the others as rows (cells in column order; numbers as double).</summary>
    public static (List<string> Header, List<List<object?>> Rows) Xlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var all = stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX)
            .Select(r => ((IDictionary<string, object?>)r).Values.ToList())
            .ToList();
        return (all[0].Select(c => c?.ToString() ?? string.Empty).ToList(), all.Skip(1).ToList());
    }

    /// <summary>Checks the BOM, then parses the CSV (RFC 4180) into a header and rows.</summary>
    public static (List<string> Header, List<List<string>> Rows) Csv(byte[] bytes)
    {
        Assert.True(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "CSV must start with the UTF-8 BOM");
        var all = CsvText.Parse(CsvText.Decode(bytes)).ToList();
        return (all[0], all.Skip(1).ToList());
    }
}
