using System.Text;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Hooks;
using Platform.Runtime.Execution.Imports;

namespace Platform.Runtime.Tests.Execution;

public sealed class ImportParsingTests
{
    private static readonly FieldDefinition Region = new()
    {
        Key = "region", Type = "select", Options = [new FieldOption("east", "华东") { LabelEn = "East China" }, new FieldOption("south", "华南")],
    };

    [Theory]
    [InlineData("2026-11-05", "2026-11-05")]
    [InlineData("2026/1/5", "2026-01-05")]
    [InlineData("2026年1月5日", "2026-01-05")]
    [InlineData("46027", "2026-01-05")]
    [InlineData("5 Jan", "5 Jan")]
    public void ToJson_NormalizesDates_WhenCellIsTextOrExcelSerial(string cell, string expected)
    {
        var value = ImportCellConverter.ToJson(new FieldDefinition { Key = "d", Type = "date" }, cell);

        Assert.Equal(expected, value!.GetValue<string>());
    }

    [Fact]
    public void ToJson_NormalizesDates_WhenCellIsANumberOrDateTimeFromExcel()
    {
        var field = new FieldDefinition { Key = "d", Type = "date" };

        Assert.Equal("2026-01-05", ImportCellConverter.ToJson(field, 46027d)!.GetValue<string>());
        Assert.Equal("2026-01-05", ImportCellConverter.ToJson(field, new DateTime(2026, 1, 5))!.GetValue<string>());
    }

    [Theory]
    [InlineData("是", true)]
    [InlineData("否", false)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    public void ToJson_ReadsBooleans_WhenCellIsChineseOrEnglish(string cell, bool expected)
    {
        var value = ImportCellConverter.ToJson(new FieldDefinition { Key = "b", Type = "boolean" }, cell);

        Assert.Equal(expected, value!.GetValue<bool>());
    }

    [Fact]
    public void ToJson_MapsOptionLabelsToValues_WhenSelectOrMultiSelect()
    {
        var multi = Region with { Type = "multi-select" };

        Assert.Equal("east", ImportCellConverter.ToJson(Region, "华东")!.GetValue<string>());
        Assert.Equal("east", ImportCellConverter.ToJson(Region, "east china")!.GetValue<string>());
        Assert.Equal("火星", ImportCellConverter.ToJson(Region, "火星")!.GetValue<string>());
        Assert.Equal(["east", "south"], ImportCellConverter.ToJson(multi, "华东|south")!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["east", "south"], ImportCellConverter.ToJson(multi, "华东，华南")!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Null(ImportCellConverter.ToJson(Region, "  "));
    }

    [Fact]
    public void ToJson_KeepsPhoneDigits_WhenExcelStoredThePhoneAsANumber()
    {
        Assert.Equal("13800138000", ImportCellConverter.ToJson(new FieldDefinition { Key = "p", Type = "phone" }, 13800138000d)!.GetValue<string>());
    }

    [Fact]
    public void Decode_ReadsGbk_WhenBytesAreNotUtf8()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GBK").GetBytes("姓名,区域\r\n张三,华东\r\n");

        Assert.Equal("姓名,区域\r\n张三,华东\r\n", CsvText.Decode(gbk));
        Assert.Equal("姓名", CsvText.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("姓名")]));
    }

    [Fact]
    public void Parse_KeepsQuotedSeparatorsAndLineBreaks_WhenFieldsAreQuoted()
    {
        var records = CsvText.Parse("a,b\r\n\"x, y\",\"line1\nline2\"\r\n\"say \"\"hi\"\"\",\r\n").ToList();

        Assert.Equal(3, records.Count);
        Assert.Equal(["x, y", "line1\nline2"], records[1]);
        Assert.Equal(["say \"hi\"", ""], records[2]);
    }

    [Theory]
    [InlineData("$.orderNo", "\"SO1\"")]
    [InlineData("/orderNo", "\"SO1\"")]
    [InlineData("customer.name", "\"张三\"")]
    [InlineData("lines[1].sku", "\"B\"")]
    [InlineData("lines[*].sku", "[\"A\",\"B\"]")]
    [InlineData("$.lines[*]", "[{\"sku\":\"A\",\"qty\":1},{\"sku\":\"B\",\"qty\":2}]")]
    public void Evaluate_FindsTheValue_WhenPathIsAPointerOrDottedPath(string path, string expected)
    {
        var payload = JsonNode.Parse("""{"orderNo":"SO1","customer":{"name":"张三"},"lines":[{"sku":"A","qty":1},{"sku":"B","qty":2}]}""");

        var value = PayloadPath.TryParse(path, out var error)!.Evaluate(payload, out var found);

        Assert.Null(error);
        Assert.True(found);
        Assert.Equal(expected, value!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Evaluate_ReportsNotFound_WhenThePayloadHasNothingThere()
    {
        PayloadPath.TryParse("customer.phone", out _)!.Evaluate(JsonNode.Parse("""{"customer":{}}"""), out var found);

        Assert.False(found);
        Assert.Null(PayloadPath.TryParse("lines[x]", out var error));
        Assert.NotNull(error);
    }
}
