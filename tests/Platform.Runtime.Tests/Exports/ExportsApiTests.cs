using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Exports;

/// <summary>CSV and Excel downloads of reports and record lists through HTTP against real PostgreSQL with the demo data.</summary>
[Collection("platform")]
public sealed class ExportsApiTests(PlatformFixture platform)
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string Csv = "text/csv; charset=utf-8";
    private const string Reports = "/api/apps/after_sales/reports";
    private const string Records = "/api/apps/after_sales/entities";

    private static decimal Number(object? cell) => Convert.ToDecimal(cell, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ReportExport_XlsxEqualsTheDataRowsWithLabels_ForReturnReasons()
    {
        using var client = await platform.ClientForAsync("sup01");
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/return_reasons/data"), HttpStatusCode.OK);

        var bytes = await ExportFiles.DownloadAsync(client, $"{Reports}/return_reasons/export?format=xlsx", Xlsx, "退换货原因分布.xlsx");

        var (header, rows) = ExportFiles.Xlsx(bytes);
        Assert.Equal(["原因", "申请数", "金额"], header);
        var expected = data["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i]["reasonLabel"]!.GetValue<string>(), rows[i][0]);
            Assert.Equal(expected[i]["count"]!.GetValue<decimal>(), Number(rows[i][1]));
            Assert.Equal(expected[i]["amount"]?.GetValue<decimal>() ?? 0m, Math.Round(Number(rows[i][2] ?? 0), 2));
        }

        Assert.Contains("质量问题", rows.Select(r => r[0]));
        Assert.DoesNotContain("quality", rows.Select(r => r[0]));
    }

    [Fact]
    public async Task ReportExport_CsvHasBomLabelsAndTheViewersParameters_WhenKindIsGiven()
    {
        using var client = await platform.ClientForAsync("sup01");
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/return_reasons/data?kind=exchange"), HttpStatusCode.OK);
        var all = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/return_reasons/data"), HttpStatusCode.OK);

        var bytes = await ExportFiles.DownloadAsync(client, $"{Reports}/return_reasons/export?format=csv&kind=exchange", Csv, "退换货原因分布.csv");

        var (header, rows) = ExportFiles.Csv(bytes);
        Assert.Equal(["原因", "申请数", "金额"], header);
        var expected = data["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(
            expected.Select(r => (r["reasonLabel"]!.GetValue<string>(), r["count"]!.GetValue<decimal>(), r["amount"]?.GetValue<decimal>() ?? 0m)),
            rows.Select(r => (r[0], decimal.Parse(r[1], CultureInfo.InvariantCulture), r[2].Length == 0 ? 0m : decimal.Parse(r[2], CultureInfo.InvariantCulture))));
        Assert.True(
            expected.Sum(r => r["count"]!.GetValue<long>()) < all["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>()),
            "kind=exchange must narrow the export like /data");
        Assert.EndsWith("\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordExport_CsvQuotesAndNeutralisesFormulas_WhenTextStartsWithAFormulaCharacter()
    {
        using var client = await platform.ClientForAsync("cs01");
        var token = Guid.NewGuid().ToString("N")[..8];
        var name = $"=HYPERLINK(\"http://evil.example\",\"点我\")-{token}";
        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/customer/records", new
        {
            data = new { name, phone = "13900002222", region = "north", address = "@SUM(1,2) \"北京\"" },
        }), HttpStatusCode.Created);

        var bytes = await ExportFiles.DownloadAsync(client, $"{Records}/customer/records/export?format=csv&filter=name:contains:{token}", Csv, "客户.csv");

        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains($"\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")-{token}\"", text, StringComparison.Ordinal);
        Assert.Contains("\"'@SUM(1,2) \"\"北京\"\"\"", text, StringComparison.Ordinal);
        var (header, rows) = ExportFiles.Csv(bytes);
        Assert.Equal(["编号", "客户名称", "手机号", "邮箱", "客户等级", "区域", "地址", "创建时间", "创建人"], header);
        var row = Assert.Single(rows);
        Assert.Equal(created["id"]!.GetValue<string>(), row[0]);
        Assert.Equal("'" + name, row[1]);
        Assert.Equal("13900002222", row[2]);
        Assert.Equal("华北", row[5]);
        Assert.Equal("'@SUM(1,2) \"北京\"", row[6]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", row[7]);
        Assert.Equal("王晓梅（客服）", row[8]);
    }

    [Fact]
    public async Task RecordExport_XlsxHonoursFilterAndSort_AndShowsLabelsAndNames()
    {
        using var client = await platform.ClientForAsync("sup01");
        const string Query = "filter=reason:eq:quality&sort=-request_no";
        var list = await ApiAssert.JsonAsync(await client.GetAsync($"{Records}/return_request/records?{Query}&pageSize=200"), HttpStatusCode.OK);

        var bytes = await ExportFiles.DownloadAsync(client, $"{Records}/return_request/records/export?format=xlsx&{Query}", Xlsx, "退换货申请.xlsx");

        var (header, rows) = ExportFiles.Xlsx(bytes);
        Assert.Equal(
            ["编号", "申请单号", "订单号", "购买日期", "客户", "退换商品", "购买数量", "单价", "联系人", "手机号", "类型", "原因", "退换数量", "金额", "问题描述", "图片", "视频", "状态", "创建时间", "创建人"],
            header);
        Assert.Equal(list["total"]!.GetValue<long>(), rows.Count);
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(items.Select(i => i["id"]!.GetValue<string>()), rows.Take(items.Count).Select(r => (string)r[0]!));
        Assert.All(rows, r => Assert.Equal("质量问题", r[11]));
        Assert.All(rows, r => Assert.Contains((string)r[10]!, new[] { "退货", "换货" }));

        var first = items[0]["data"]!.AsObject();
        var row = rows[0];
        Assert.Equal(first["request_no"]!.GetValue<string>(), row[1]);
        var customer = await ApiAssert.JsonAsync(await client.GetAsync($"{Records}/customer/records/{first["customer"]!.GetValue<string>()}"), HttpStatusCode.OK);
        Assert.Equal(customer["data"]!["name"]!.GetValue<string>(), row[4]);
        var product = await ApiAssert.JsonAsync(await client.GetAsync($"{Records}/product/records/{first["product"]!.GetValue<string>()}"), HttpStatusCode.OK);
        Assert.Equal(product["data"]!["name"]!.GetValue<string>(), row[5]);
        Assert.Equal(first["quantity"]!.GetValue<decimal>(), Number(row[12]));
        Assert.Equal($"{first["images"]!.AsArray().Count} 个文件", row[15]);
        Assert.DoesNotContain(rows, r => Guid.TryParse(r[4] as string, out _) || Guid.TryParse(r[5] as string, out _));
    }

    [Fact]
    public async Task RecordExport_ShowsMultiSelectBooleanAndUserLabels_InTheListOrder()
    {
        using var client = await platform.ClientForAsync("sup01");
        const string Query = "filter=region:eq:east&sort=name";
        var list = await ApiAssert.JsonAsync(await client.GetAsync($"{Records}/engineer/records?{Query}&pageSize=200"), HttpStatusCode.OK);

        var bytes = await ExportFiles.DownloadAsync(client, $"{Records}/engineer/records/export?format=csv&{Query}", Csv, "工程师.csv");

        var (header, rows) = ExportFiles.Csv(bytes);
        Assert.Equal(["编号", "姓名", "手机号", "登录账号", "区域", "技能", "在岗", "在办工单", "创建时间", "创建人"], header[..10]);
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.NotEmpty(items);
        Assert.Equal(items.Select(i => i["id"]!.GetValue<string>()), rows.Select(r => r[0]));
        var skills = new Dictionary<string, string>
        {
            ["basic_repair"] = "基础维修", ["advanced_refrigeration"] = "高级制冷维修", ["installation"] = "安装", ["kitchen"] = "厨电维修", ["laundry"] = "洗护维修",
            ["commercial_refrigeration"] = "商用制冷维修",
        };
        for (var i = 0; i < items.Count; i++)
        {
            var data = items[i]["data"]!.AsObject();
            Assert.Equal("华东", rows[i][4]);
            Assert.Equal(string.Join("、", data["skills"]!.AsArray().Select(s => skills[s!.GetValue<string>()])), rows[i][5]);
            Assert.Equal(data["active"] is { } active ? (active.GetValue<bool>() ? "是" : "否") : string.Empty, rows[i][6]);
            if (data["user_name"] is { } user)
            {
                Assert.EndsWith(user.GetValue<string>() == "sp01" ? "（外部服务商）" : "（工程师）", rows[i][3], StringComparison.Ordinal);
                Assert.NotEqual(user.GetValue<string>(), rows[i][3]);
            }
        }
    }

    [Fact]
    public async Task RecordExport_ShowsSubTableRowsAsCompactText_WithReferenceNames()
    {
        using var client = await platform.ClientForAsync("cs01");
        var customer = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/customer/records", new
        {
            data = new { name = "导出测试客户", phone = "13900003333", region = "east" },
        }), HttpStatusCode.Created);
        using var admin = await platform.ClientForAsync("admin");
        var product = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"{Records}/product/records", new
        {
            data = new { sku = "EXP-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), name = "导出测试冰箱", category = "refrigeration", price = 300 },
        }), HttpStatusCode.Created);
        var orderNo = "SO-EXP-" + Guid.NewGuid().ToString("N")[..10];
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/sales_order/records", new
        {
            data = new
            {
                order_no = orderNo, customer = customer["id"]!.GetValue<string>(), purchased_at = "2026-11-20", channel = "jd",
                items = new[] { new { product = product["id"]!.GetValue<string>(), quantity = 2, unit_price = 300 } },
            },
        }), HttpStatusCode.Created);

        var bytes = await ExportFiles.DownloadAsync(client, $"{Records}/sales_order/records/export?format=xlsx&filter=order_no:eq:{orderNo}", Xlsx, "销售订单.xlsx");

        var (header, rows) = ExportFiles.Xlsx(bytes);
        var row = Assert.Single(rows);
        Assert.Equal(orderNo, row[header.IndexOf("订单号")]);
        Assert.Equal("导出测试客户", row[header.IndexOf("客户")]);
        var items = (string)row[header.IndexOf("订单明细")]!;
        Assert.StartsWith("产品：导出测试冰箱，数量：2，单价：300", items, StringComparison.Ordinal);
        Assert.Equal(600m, Number(row[header.IndexOf("订单金额")]));
    }

    [Theory]
    [InlineData("/api/apps/after_sales/reports/return_reasons/export?format=pdf", "format")]
    [InlineData("/api/apps/after_sales/reports/return_reasons/export?format=csv&filter=nope:eq:1", "filter")]
    [InlineData("/api/apps/after_sales/entities/return_request/records/export?format=pdf", "format")]
    [InlineData("/api/apps/after_sales/entities/return_request/records/export?format=csv&filter=nope:eq:1", "filter")]
    [InlineData("/api/apps/after_sales/entities/return_request/records/export?sort=nope", "sort")]
    public async Task Export_Is422NamingTheParameter_WhenItIsInvalid(string url, string field)
    {
        using var client = await platform.ClientForAsync("sup01");

        Assert.Equal([field], await ApiAssert.InvalidFieldsAsync(await client.GetAsync(url)));
    }

    [Fact]
    public async Task Export_Is401_WithoutAUser()
    {
        using var anonymous = platform.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Reports}/return_reasons/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Records}/customer/records/export")).StatusCode);
    }

    [Fact]
    public async Task RecordExport_Is422NamingTheFilter_WhenMoreThan100000RecordsMatch()
    {
        using var admin = await platform.ClientForAsync("admin");
        var package = JsonNode.Parse("""
            {
              "format": "platform-app", "formatVersion": 1,
              "app": { "key": "export_cap", "name": "导出上限" },
              "entities": [ { "key": "item", "label": "条目", "fields": [ { "key": "n", "type": "integer", "label": "序号" } ] } ]
            }
            """)!;
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.Created);
        await using (var connection = new NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by)
                select gen_random_uuid(), 'export_cap', 'item', jsonb_build_object('n', g), 1, 1, now(), 'admin', now(), 'admin' from generate_series(1, 100001) g
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        try
        {
            var response = await admin.GetAsync("/api/apps/export_cap/entities/item/records/export?format=csv");
            Assert.Equal(["filter"], await ApiAssert.InvalidFieldsAsync(response));

            var bytes = await ExportFiles.DownloadAsync(admin, "/api/apps/export_cap/entities/item/records/export?format=csv&filter=n:le:3&sort=-n", Csv, "条目.csv");
            var (header, rows) = ExportFiles.Csv(bytes);
            Assert.Equal(["编号", "序号", "创建时间", "创建人"], header);
            Assert.Equal(["3", "2", "1"], rows.Select(r => r[1]));
            Assert.All(rows, r => Assert.Equal("系统管理员", r[3]));
        }
        finally
        {
            await platform.CountAsync("with d as (delete from records where app_key = 'export_cap' returning 1) select count(*) from d");
        }
    }
}
