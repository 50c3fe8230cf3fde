using System.Runtime.CompilerServices;
using Platform.Runtime.Execution.Exports;

namespace Platform.Runtime.Tests.Exports;

/// <summary>The CSV and xlsx writers on their own: quoting, formula neutralisation, streaming, failures.</summary>
public sealed class ExportWritersTests
{
    [Theory]
    [InlineData("质量问题", "质量问题")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+8613900001111", "'+8613900001111")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=cmd", "'\t=cmd")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("他说\"好\"", "\"他说\"\"好\"\"\"")]
    [InlineData("两行\r\n文字", "\"两行\r\n文字\"")]
    [InlineData(" 前后空格 ", "\" 前后空格 \"")]
    [InlineData("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")]
    public void Cell_QuotesAndNeutralisesText_WhenASpreadsheetWouldMisreadIt(string text, string expected) =>
        Assert.Equal(expected, CsvExport.Cell(text));

    [Fact]
    public void Cell_WritesNumbersAsNumbers_EvenWhenNegative()
    {
        Assert.Equal("-5", CsvExport.Cell(-5m));
        Assert.Equal("1234.50", CsvExport.Cell(1234.50m));
        Assert.Equal("42", CsvExport.Cell(42L));
        Assert.Equal(string.Empty, CsvExport.Cell(null));
    }

    [Fact]
    public async Task XlsxWriteAsync_StreamsEveryRow_WhenTheSourceIsLargerThanTheBuffer()
    {
        using var file = new MemoryStream();

        await XlsxExport.WriteAsync(file, ["序号", "名称"], RowsAsync(5000), "测试", CancellationToken.None);

        var (header, rows) = ExportFiles.Xlsx(file.ToArray());
        Assert.Equal(["序号", "名称"], header);
        Assert.Equal(5000, rows.Count);
        Assert.Equal("第 5000 行", rows[^1][1]);
    }

    [Fact]
    public async Task XlsxWriteAsync_ThrowsTheSourcesError_WhenReadingFailsMidway()
    {
        using var file = new MemoryStream();

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => XlsxExport.WriteAsync(file, ["序号", "名称"], RowsAsync(3000, failAt: 2500), null, CancellationToken.None));

        Assert.Equal("source failed at 2500", e.Message);
    }

    [Fact]
    public void XlsxToBytes_WritesTheHeader_WhenThereAreNoRows()
    {
        var (header, rows) = ExportFiles.Xlsx(XlsxExport.ToBytes(["原因", "申请数"], [], "空报表"));

        Assert.Equal(["原因", "申请数"], header);
        Assert.Empty(rows);
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync(int count, int? failAt = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 1; i <= count; i++)
        {
            if (i == failAt)
            {
                throw new InvalidDataException($"source failed at {i}");
            }

            if (i % 500 == 0)
            {
                await Task.Yield();
            }

            yield return [(decimal)i, $"第 {i} 行"];
        }
    }
}
