using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;
using Platform.Core.Printing;
using Snapshooter.Xunit;

namespace Platform.Core.Tests.Printing;

public sealed partial class PrintRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 2, 30, 0, TimeSpan.Zero);

    private static readonly PrintPageOptions Options = new() { AppName = "售后服务", Now = Now, ScriptUrl = "/_content/Platform.Designer/js/print.js" };

    private static readonly Guid CustomerId = Guid.Parse("0195a000-0000-7000-8000-000000000001");

    private static readonly Guid ProductId = Guid.Parse("0195a000-0000-7000-8000-000000000002");

    private static readonly FakePrintFormatter Formatter = new(new Dictionary<string, string>
    {
        [CustomerId.ToString()] = "张伟",
        [ProductId.ToString()] = "美的 变频冰箱 BCD-520",
        ["spare-1"] = "压缩机启动器",
    });

    private static CompiledPrintTemplate Compile(string html, string entity = "return_request")
    {
        var (compiled, problems) = PrintTemplateCompiler.Compile(SampleApp.Definition, new PrintTemplateDefinition { Key = "t", Entity = entity, Label = "测试单", Html = html });
        Assert.Empty(problems);
        return compiled!;
    }

    private static CompiledPrintTemplate Sample(string key)
    {
        var (compiled, problems) = PrintTemplateCompiler.Compile(SampleApp.Definition, SampleApp.Definition.FindPrintTemplate(key)!);
        Assert.Empty(problems);
        return compiled!;
    }

    private static PrintRecord ReturnRequest(string? description = "开机后压缩机异响，\n冷藏室不制冷。") => new()
    {
        Id = Guid.Parse("0195a000-0000-7000-8000-0000000000aa"),
        Data = new JsonObject
        {
            ["request_no"] = "RT202603090007",
            ["order_no"] = "SO2026021188",
            ["purchased_at"] = "2026-02-11",
            ["customer"] = CustomerId.ToString(),
            ["product"] = ProductId.ToString(),
            ["purchased_qty"] = 1,
            ["unit_price"] = 3299m,
            ["customer_name"] = "张伟",
            ["phone"] = "13800138000",
            ["kind"] = "return",
            ["reason"] = "quality",
            ["description"] = description,
            ["quantity"] = 1,
            ["amount"] = 3299m,
            ["status"] = "pending",
        },
        CreatedAt = new DateTimeOffset(2026, 3, 9, 1, 5, 0, TimeSpan.Zero),
        CreatedBy = "王晓梅（客服）",
        UpdatedAt = new DateTimeOffset(2026, 3, 9, 1, 20, 0, TimeSpan.Zero),
        Status = "待审核",
        StatusRaw = "pending",
        Step = "主管审批",
        TrackingNo = "RT202603090007",
        TrackingUrl = "https://service.example.com/track?no=RT202603090007",
        RecordUrl = "https://service.example.com/apps/after_sales/records/return_request/0195a000-0000-7000-8000-0000000000aa",
        History =
        [
            new PrintHistoryEntry("开始", "发起", "已提交申请", "张伟", new DateTimeOffset(2026, 3, 9, 1, 5, 0, TimeSpan.Zero), null),
            new PrintHistoryEntry("客服初审", "通过", "「客服初审」已通过", "王晓梅（客服）", new DateTimeOffset(2026, 3, 9, 1, 20, 0, TimeSpan.Zero), "照片显示压缩机处漏油"),
        ],
    };

    [Fact]
    public void RenderBody_PrintsRecordScriptAsText_WhenAFieldHoldsMarkup()
    {
        var record = ReturnRequest("<script>alert('x')</script><img src=x onerror=alert(1)> & \"引号\"");

        var html = PrintRenderer.RenderBody(Compile("<p>{{description}}</p><p>{{description.raw}}</p>"), record, Formatter, Options);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, Regex.Matches(html, Regex.Escape("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;引号&quot;")).Count);
    }

    [Fact]
    public void RenderBody_PrintsDisplayValuesRawValuesAndSystemValues()
    {
        var html = PrintRenderer.RenderBody(
            Compile("{{kind}}|{{kind.raw}}|{{reason}}|{{customer}}|{{customer.raw}}|{{unit_price}}|{{amount}}|{{description}}|{{_id}}|{{_created_at}}|{{_created_by}}|{{_now}}|{{_app}}|{{_entity}}|{{_template}}|{{_status}}|{{_status.raw}}|{{_step}}|{{_tracking_no}}|{{video}}"),
            ReturnRequest(), Formatter, Options);

        Assert.Equal(
            $"退货|return|质量问题|张伟|{CustomerId}|3,299.00|3,299.00|开机后压缩机异响，<br>冷藏室不制冷。|0195a000-0000-7000-8000-0000000000aa|2026-03-09 09:05|王晓梅（客服）|2026-03-09 10:30|售后服务|退换货申请|测试单|待审核|pending|主管审批|RT202603090007|",
            html);
    }

    [Fact]
    public void RenderBody_RepeatsSubTableRows_WithTheirIndexAndTheRecordsFields()
    {
        var order = new PrintRecord
        {
            Id = Guid.NewGuid(),
            Data = new JsonObject
            {
                ["order_no"] = "SO1",
                ["items"] = new JsonArray(
                    new JsonObject { ["product"] = ProductId.ToString(), ["quantity"] = 2, ["unit_price"] = 10m, ["amount"] = 20m },
                    new JsonObject { ["product"] = "p-unknown", ["quantity"] = 1, ["unit_price"] = 5.5m, ["amount"] = 5.5m }),
            },
        };

        var html = PrintRenderer.RenderBody(
            Compile("<table>{{#each items}}<tr><td>{{_index}}</td><td>{{product}}</td><td>{{quantity}}×{{unit_price}}={{amount}}</td><td>{{order_no}}</td></tr>{{/each}}</table>", "sales_order"),
            order, Formatter, Options);

        Assert.Equal(
            "<table><tr><td>1</td><td>美的 变频冰箱 BCD-520</td><td>2×10.00=20.00</td><td>SO1</td></tr><tr><td>2</td><td>p-unknown</td><td>1×5.50=5.50</td><td>SO1</td></tr></table>",
            html);
    }

    [Fact]
    public void RenderBody_ListsRelatedRecordsOfAnotherEntity_WhenTheyReferenceTheRecord()
    {
        var ticket = new PrintRecord
        {
            Id = Guid.NewGuid(),
            Data = new JsonObject { ["ticket_no"] = "SR1" },
            Related = new Dictionary<string, IReadOnlyList<PrintRecord>>
            {
                ["part_usage.service_request"] =
                [
                    new PrintRecord { Id = Guid.NewGuid(), Data = new JsonObject { ["part"] = "spare-1", ["quantity"] = 2 } },
                    new PrintRecord { Id = Guid.NewGuid(), Data = new JsonObject { ["part"] = "<b>spare-2</b>", ["quantity"] = 1 } },
                ],
            },
        };

        var template = Compile("{{#related part_usage.service_request}}[{{_index}} {{part}} ×{{quantity}} {{ticket_no}} {{_entity}}]{{/related}}", "service_request");
        var html = PrintRenderer.RenderBody(template, ticket, Formatter, Options);

        Assert.Equal([new PrintRelatedSource("part_usage", "service_request")], template.Related);
        Assert.Equal("[1 压缩机启动器 ×2 SR1 备件领用][2 &lt;b&gt;spare-2&lt;/b&gt; ×1 SR1 备件领用]", html);
        Assert.Equal(string.Empty, PrintRenderer.RenderBody(template, ticket with { Related = new Dictionary<string, IReadOnlyList<PrintRecord>>() }, Formatter, Options));
    }

    [Fact]
    public void RenderBody_PrintsTheTrackingLinkAsAnInlineQrCode()
    {
        var record = ReturnRequest();

        var html = PrintRenderer.RenderBody(Compile("{{qr}}|{{qr:tracking}}|{{qr:record}}|{{qr:phone}}"), record, Formatter, Options);

        var sources = Regex.Matches(html, "<img class=\"print-qr\" src=\"([^\"]+)\" alt=\"[^\"]+\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(
            [PrintQrCode.DataUri(record.TrackingUrl!), PrintQrCode.DataUri(record.TrackingUrl!), PrintQrCode.DataUri(record.RecordUrl!), PrintQrCode.DataUri("13800138000")],
            sources);
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", sources[0], StringComparison.Ordinal);
        Assert.Equal("|||", PrintRenderer.RenderBody(Compile("{{qr}}|{{qr:tracking}}|{{qr:record}}|{{qr:video}}"), record with { TrackingUrl = null, RecordUrl = null }, Formatter, Options));
    }

    [Fact]
    public void RenderPage_HasOneA4SheetPerRecordWithPageBreaks_AndAPrintButtonHiddenInPrint()
    {
        var records = new[] { ReturnRequest(), ReturnRequest() with { Id = Guid.NewGuid() }, ReturnRequest() with { Id = Guid.NewGuid() } };

        var page = PrintRenderer.RenderPage(Sample("return_slip"), records, Formatter, Options);

        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("@page { size: A4 portrait; margin: 12mm; }", page, StringComparison.Ordinal);
        Assert.Contains("@media print {", page, StringComparison.Ordinal);
        Assert.Contains(".print-toolbar { display: none; }", page, StringComparison.Ordinal);
        Assert.Contains("break-after: page", page, StringComparison.Ordinal);
        Assert.Contains("<title>退货单（3 份）</title>", page, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(page, "<section class=\"print-sheet\"").Count);
        Assert.Single(Regex.Matches(page, "<script[^>]*>").Cast<Match>(), m => m.Value == "<script src=\"/_content/Platform.Designer/js/print.js\">");
        Assert.Contains("id=\"print-button\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(" onclick", page, StringComparison.Ordinal);

        var landscape = PrintRenderer.RenderPage(
            Recompile(new PrintTemplateDefinition { Key = "t", Entity = "return_request", Label = "测试单", Paper = PrintPapers.A4Landscape, Html = "x" }),
            [ReturnRequest()], Formatter, Options with { ScriptUrl = null });
        Assert.Contains("size: A4 landscape", landscape, StringComparison.Ordinal);
        Assert.Contains("<title>测试单 RT202603090007</title>", landscape, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", landscape, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderBody_MatchesSnapshot_ForTheAfterSalesReturnSlip()
    {
        var html = PrintRenderer.RenderBody(Sample("return_slip"), ReturnRequest(), Formatter, Options);

        Assert.Contains(PrintQrCode.DataUri("https://service.example.com/track?no=RT202603090007"), html, StringComparison.Ordinal);
        Snapshot.Match(DataUri().Replace(html, "data:image/png;base64,…").Split('\n'));
    }

    private static CompiledPrintTemplate Recompile(PrintTemplateDefinition definition) => PrintTemplateCompiler.Compile(SampleApp.Definition, definition).Template!;

    [GeneratedRegex("data:image/png;base64,[A-Za-z0-9+/=]+")]
    private static partial Regex DataUri();
}
