using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MiniExcelLibs;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

[Collection("platform")]
public sealed class ImportApiTests(PlatformFixture platform)
{
    private const string Customers = "/api/apps/after_sales/entities/customer";

    /// <summary>The Chinese-labelled customer sheet: rows 2, 4 and 6 are good; row 3 has phone 12345, row 5 region 火星.</summary>
    private static string CustomerCsv(string run) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Api", "Fixtures", "customers-zh.csv")).Replace("{run}", run, StringComparison.Ordinal);

    private static string NewRun() => Guid.NewGuid().ToString("N")[..8];

    private Task<long> CountAsync(string run) =>
        platform.CountAsync("select count(*) from records where app_key = 'after_sales' and entity_key = 'customer' and data->>'name' like $1", $"%{run}");

    private async Task<HttpResponseMessage> UploadAsync(byte[] content, string fileName, string query = "", string user = "cs01")
    {
        using var client = await platform.ClientForAsync(user);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"{Customers}/import{query}", form);
    }

    private static void AssertRowsThreeAndFiveFail(JsonObject report)
    {
        var errors = report["errors"]!.AsArray();
        Assert.Equal([3, 5], errors.Select(e => e!["row"]!.GetValue<int>()));
        Assert.Equal(["phone"], errors[0]!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["region"], errors[1]!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Equal(5, report["total"]!.GetValue<int>());
        Assert.Equal(2, report["failed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Import_ImportsGoodRowsAndReportsRowsThreeAndFive_WhenCsvHasChineseLabelsAndTwoBadRows()
    {
        var run = NewRun();

        var report = await ApiAssert.JsonAsync(await UploadAsync(Encoding.UTF8.GetBytes(CustomerCsv(run)), "customers.csv"), HttpStatusCode.OK);

        AssertRowsThreeAndFiveFail(report);
        Assert.Equal(3, report["imported"]!.GetValue<int>());
        Assert.False(report["dryRun"]!.GetValue<bool>());
        Assert.Equal(3, report["ids"]!.AsArray().Count);
        Assert.Equal(3, await CountAsync(run));
        using var client = await platform.ClientForAsync("cs01");
        var first = await ApiAssert.JsonAsync(await client.GetAsync($"{Customers}/records/{report["ids"]![0]}"), HttpStatusCode.OK);
        Assert.Equal("east", first["data"]!["region"]!.GetValue<string>());
        Assert.Equal("vip", first["data"]!["tier"]!.GetValue<string>());
        Assert.Equal("cs01", first["createdBy"]!.GetValue<string>());
        var second = await ApiAssert.JsonAsync(await client.GetAsync($"{Customers}/records/{report["ids"]![1]}"), HttpStatusCode.OK);
        Assert.Equal("北京市朝阳区, 望京", second["data"]!["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_WritesNothing_WhenAllOrNothingAndARowIsBad()
    {
        var run = NewRun();

        var report = await ApiAssert.JsonAsync(
            await UploadAsync(Encoding.UTF8.GetBytes(CustomerCsv(run)), "customers.csv", "?mode=all-or-nothing"), HttpStatusCode.OK);

        AssertRowsThreeAndFiveFail(report);
        Assert.Equal(0, report["imported"]!.GetValue<int>());
        Assert.Empty(report["ids"]!.AsArray());
        Assert.Equal(0, await CountAsync(run));
    }

    [Fact]
    public async Task Import_ValidatesAndWritesNothing_WhenDryRun()
    {
        var run = NewRun();

        var report = await ApiAssert.JsonAsync(await UploadAsync(Encoding.UTF8.GetBytes(CustomerCsv(run)), "customers.csv", "?dryRun=true"), HttpStatusCode.OK);

        AssertRowsThreeAndFiveFail(report);
        Assert.True(report["dryRun"]!.GetValue<bool>());
        Assert.Empty(report["ids"]!.AsArray());
        Assert.Equal(0, await CountAsync(run));
    }

    [Fact]
    public async Task Import_ImportsTheSameRows_WhenFileIsXlsxBuiltWithMiniExcel()
    {
        var run = NewRun();
        var lines = CustomerCsv(run).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines[0].Split(',');
        var rows = new List<Dictionary<string, object?>>
        {
            Row(headers, $"张三{run}", 13800000001L, null, "VIP", "华东", "上海市浦东新区"),
            Row(headers, $"李四{run}", 12345L, null, "普通", "华南", null),
            Row(headers, $"王五{run}", "13800000003", null, "大客户", "north", "北京市朝阳区, 望京"),
            Row(headers, $"赵六{run}", "13800000004", null, "普通", "火星", null),
            Row(headers, $"钱七{run}", "13800000005", "qian@example.cn", "regular", "西部", "成都"),
        };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, excelType: ExcelType.XLSX);

        var report = await ApiAssert.JsonAsync(await UploadAsync(stream.ToArray(), "customers.xlsx"), HttpStatusCode.OK);

        AssertRowsThreeAndFiveFail(report);
        Assert.Equal(3, report["imported"]!.GetValue<int>());
        Assert.Equal(3, await CountAsync(run));
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from records where entity_key = 'customer' and data->>'name' = $1 and data->>'phone' = '13800000001' and data->>'region' = 'east'", $"张三{run}"));
    }

    [Fact]
    public async Task Import_KeepsChineseText_WhenCsvIsGbkEncoded()
    {
        var run = NewRun();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GB18030").GetBytes(CustomerCsv(run).TrimStart('\uFEFF'));

        var report = await ApiAssert.JsonAsync(await UploadAsync(gbk, "customers-gbk.csv"), HttpStatusCode.OK);

        AssertRowsThreeAndFiveFail(report);
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from records where entity_key = 'customer' and data->>'name' = $1 and data->>'address' = '上海市浦东新区' and data->>'region' = 'east'", $"张三{run}"));
        Assert.Equal(3, await CountAsync(run));
    }

    [Fact]
    public async Task Import_Returns422NamingTheColumn_WhenAHeaderNamesNoField()
    {
        var run = NewRun();
        var csv = $"客户名称,手机号,区域,颜色\r\n张三{run},13800000001,华东,红\r\n";

        var response = await UploadAsync(Encoding.UTF8.GetBytes(csv), "customers.csv");

        Assert.Equal(["颜色"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(0, await CountAsync(run));
    }

    [Fact]
    public async Task Import_Returns422_WhenFileIsNeitherCsvNorXlsx()
    {
        var response = await UploadAsync(Encoding.UTF8.GetBytes("name\nx\n"), "customers.txt");

        Assert.Equal(["file"], await ApiAssert.InvalidFieldsAsync(response));
    }

    [Fact]
    public async Task Import_Returns422NamingTheFile_WhenItHasMoreThan10000Rows()
    {
        var run = NewRun();
        var csv = new StringBuilder("客户名称,手机号,区域\r\n");
        for (var i = 0; i <= 10_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"c{i}{run},13800000001,east\r\n");
        }

        var response = await UploadAsync(Encoding.UTF8.GetBytes(csv.ToString()), "many.csv");

        Assert.Equal(["file"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(0, await CountAsync(run));
    }

    [Fact]
    public async Task Import_Returns422NamingTheFile_WhenItIsLargerThan5Mb()
    {
        var header = Encoding.UTF8.GetBytes("客户名称,地址\r\n");
        var content = header.Concat(Enumerable.Repeat((byte)'x', 5 * 1024 * 1024)).ToArray();

        var response = await UploadAsync(content, "big.csv");

        Assert.Equal(["file"], await ApiAssert.InvalidFieldsAsync(response));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task Template_HasTheImportableFieldLabelsAsHeaders_WhenDownloaded(string format)
    {
        using var client = await platform.ClientForAsync("cs01");

        var response = await client.GetAsync($"/api/apps/after_sales/entities/sales_order/import/template?format={format}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = format == "csv"
            ? Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').TrimEnd().Split(',')
            : ((IDictionary<string, object?>)new MemoryStream(bytes).Query(excelType: ExcelType.XLSX).First()).Values.Select(v => v?.ToString() ?? string.Empty).ToArray();
        // order_no, customer, purchased_at, channel; not the items sub-table nor the total_amount formula.
        Assert.Equal(["订单号", "客户", "购买日期", "渠道"], headers);
    }

    private static Dictionary<string, object?> Row(string[] headers, params object?[] values) =>
        headers.Zip(values).ToDictionary(p => p.First, p => p.Second);
}
