using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>Printing from the record screens: the detail's 打印 menu and the list's 批量打印 open the print page in a new tab.</summary>
[Collection("platform")]
public sealed partial class PrintPageTests(PlatformFixture platform)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 15_000 };

    /// <summary>Opens the print page through <paramref name="click"/> and checks that its script ran under the CSP (the button calls window.print).</summary>
    private static async Task<IPage> OpenPrintPageAsync(IPage page, Func<Task> click)
    {
        var popup = await page.Context.RunAndWaitForPageAsync(click);
        var violations = new List<string>();
        popup.Console += (_, m) => { if (m.Type == "error") { violations.Add(m.Text); } };
        await popup.WaitForLoadStateAsync(LoadState.Load);
        await Assertions.Expect(popup.Locator(".print-sheet").First).ToBeVisibleAsync(Slow);
        await popup.EvaluateAsync("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }");
        await popup.Locator("[data-testid=print-button]").ClickAsync();
        Assert.Equal(1, await popup.EvaluateAsync<int>("() => window.__printed"));
        Assert.Empty(violations);
        return popup;
    }

    [Fact]
    public async Task RecordDetail_OpensTheReturnSlipInANewTab_FromThePrintMenu() => await RecordPages.WithBrowserAsync(async browser =>
    {
        var (recordId, _) = await platform.FirstAsync("""
            select r.id, r.id from records r join flow_instances i on i.record_id = r.id
            where r.app_key = 'after_sales' and r.entity_key = 'return_request' and r.data->>'reason' = 'quality' and i.status = 'completed'
              and (select count(*) from flow_history h where h.instance_id = i.id) between 5 and 10
            order by r.created_at limit 1
            """);
        var record = await RecordPages.GetAsync(platform, "sup01", $"/api/apps/after_sales/entities/return_request/records/{recordId}");
        var number = record["data"]!["request_no"]!.GetValue<string>();
        var page = await RecordPages.SignInAsync(browser, platform, "sup01");
        await page.GotoAsync(new Uri(platform.ServerAddress, $"/apps/after_sales/records/return_request/{recordId}").ToString());
        await Assertions.Expect(page.Locator("[data-testid=flow-panel]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });

        await page.Locator("[data-testid=print-menu] button").ClickAsync();
        var item = page.Locator("[data-testid=print-return_slip]");
        await Assertions.Expect(item).ToContainTextAsync("退货单");
        await Assertions.Expect(page.Locator("[data-testid=print-work_order]")).ToHaveCountAsync(0);
        var popup = await OpenPrintPageAsync(page, () => item.ClickAsync());

        Assert.Contains($"/api/apps/after_sales/print/return_slip?ids={recordId}", popup.Url, StringComparison.Ordinal);
        var sheet = popup.Locator($".print-sheet[data-record='{recordId}']");
        await Assertions.Expect(sheet.Locator("h1")).ToHaveTextAsync("退货单");
        await Assertions.Expect(sheet).ToContainTextAsync(number);
        await Assertions.Expect(sheet).ToContainTextAsync("质量问题");
        await Assertions.Expect(sheet).ToContainTextAsync("客户签字");
        Assert.True(await sheet.Locator("img.print-qr").EvaluateAsync<int>("img => img.naturalWidth") > 100, "the QR code decodes as an image");

        // A4: the sheet is 210 mm wide on screen, and printing gives one page.
        Assert.InRange(await sheet.EvaluateAsync<double>("e => e.getBoundingClientRect().width"), 790, 797);
        await Browser.ScreenshotAsync(popup, "print-return-slip");
        Assert.Equal(1, PdfPages(await popup.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true })));
    });

    [Fact]
    public async Task RecordList_PrintsTheSelectedRecordsOnePerPage_FromPrintSelected() => await RecordPages.WithBrowserAsync(async browser =>
    {
        var (ticketId, _) = await platform.FirstAsync("""
            select s.id, s.id from records s
            where s.app_key = 'after_sales' and s.entity_key = 'service_request' and s.data ? 'engineer'
              and (select count(*) from records u where u.entity_key = 'part_usage' and u.data->>'service_request' = s.id::text) >= 2
            order by s.created_at limit 1
            """);
        var page = await RecordPages.SignInAsync(browser, platform, "sup01");
        await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/after_sales/records/service_request?size=10").ToString());
        await Assertions.Expect(page.Locator("[data-testid=filter-bar]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=print-selected] button")).ToBeDisabledAsync();

        // Ticking a row selects it without opening it.
        var ids = await RecordPages.RowIdsAsync(page);
        foreach (var i in new[] { 2, 0, 1 })
        {
            await page.Locator("[data-testid=record-row]").Nth(i).Locator("td").First.Locator("input[type=checkbox]").CheckAsync();
        }

        await Assertions.Expect(page.Locator("[data-testid=selected-count]")).ToHaveTextAsync("已选 3 条");
        Assert.EndsWith("/apps/after_sales/records/service_request?size=10", page.Url, StringComparison.Ordinal);
        await page.Locator("[data-testid=print-selected] button").ClickAsync();
        var popup = await OpenPrintPageAsync(page, () => page.Locator("[data-testid=print-selected-work_order]").ClickAsync());

        Assert.Equal(new[] { ids[2], ids[0], ids[1] }, await popup.Locator(".print-sheet").EvaluateAllAsync<string[]>("s => s.map(e => e.dataset.record)"));
        await Assertions.Expect(popup.Locator(".print-sheet h1").First).ToHaveTextAsync("维修工单");
        Assert.Equal(3, PdfPages(await popup.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true })));
        await popup.CloseAsync();

        // The work order of a ticket with parts used, from its detail page (the screenshot of the docs).
        await page.GotoAsync(new Uri(platform.ServerAddress, $"/apps/after_sales/records/service_request/{ticketId}").ToString());
        await Assertions.Expect(page.Locator("[data-testid=print-menu] button")).ToBeVisibleAsync(Slow);
        await page.WaitForTimeoutAsync(300);
        await page.Locator("[data-testid=print-menu] button").ClickAsync();
        var workOrder = await OpenPrintPageAsync(page, () => page.Locator("[data-testid=print-work_order]").ClickAsync());
        await Assertions.Expect(workOrder.Locator(".wo-parts tr")).ToHaveCountAsync(1 + 2 + (int)await platform.CountAsync(
            "select count(*) from records where entity_key = 'part_usage' and data->>'service_request' = $1", ticketId.ToString()));
        await Browser.ScreenshotAsync(workOrder, "print-work-order");
        var pdf = await workOrder.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        await File.WriteAllBytesAsync("/tmp/print-work-order.pdf", pdf);
        Assert.Equal(1, PdfPages(pdf));
    });

    [Fact]
    public async Task PrintTemplateDesigner_PreviewsWhileTyping_AndPublishes() => await RecordPages.WithBrowserAsync(async browser =>
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "print_ui_" + Guid.NewGuid().ToString("N")[..6];
        var package = $$$"""
            { "format": "platform-app", "formatVersion": 1, "app": { "key": "{{{key}}}", "name": "打印设计测试" },
              "entities": [ { "key": "note", "label": "便签", "fields": [
                { "key": "title", "type": "text", "label": "标题" }, { "key": "body", "type": "textarea", "label": "内容" } ] } ],
              "printTemplates": [ { "key": "sheet", "entity": "note", "label": "便签单", "html": "<h2>{{title}}</h2>" } ] }
            """;
        (await admin.PostAsync("/api/apps/import", new StringContent(package, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/apps/{key}/entities/note/records", new StringContent("""{"data":{"title":"预览中的便签","body":"第一行"}}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var page = await RecordPages.SignInAsync(browser, platform, "analyst");
        await page.GotoAsync(new Uri(platform.ServerAddress, $"/design/apps/{key}").ToString());
        await page.Locator("[data-testid=section-print] a").Filter(new LocatorFilterOptions { HasTextString = "便签单" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=print-template-state]")).ToHaveTextAsync("已发布", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        var frame = page.FrameLocator("[data-testid=preview-frame]");
        await Assertions.Expect(frame.Locator(".print-sheet h2")).ToHaveTextAsync("预览中的便签", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });

        // An unknown placeholder shows the problem instead of the page; a picked one goes in at the cursor.
        var editor = page.Locator("#print-html");
        await editor.FillAsync("<h2>{{title}}</h2><p>{{colour}}</p>");
        await Assertions.Expect(page.Locator("[data-testid=preview-problems]")).ToContainTextAsync("colour", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        await editor.FillAsync("<h2>{{title}}</h2><p></p>");
        await editor.EvaluateAsync("e => { e.focus(); e.selectionStart = e.selectionEnd = e.value.indexOf('</p>'); }");
        await page.Locator("[data-testid=placeholder-body]").ClickAsync();
        await Assertions.Expect(editor).ToHaveValueAsync("<h2>{{title}}</h2><p>{{body}}</p>");
        await Assertions.Expect(frame.Locator(".print-sheet p")).ToHaveTextAsync("第一行", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Browser.ScreenshotAsync(page, "print-designer");

        await page.Locator("[data-testid=publish-print-template]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已发布", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        var stored = await RecordPages.GetAsync(platform, "admin", $"/api/apps/{key}/print-templates/sheet");
        Assert.Equal("<h2>{{title}}</h2><p>{{body}}</p>", stored["html"]!.GetValue<string>());
    });

    /// <summary>The pages of a PDF Chromium wrote (its page objects; the page tree node is /Type /Pages).</summary>
    private static int PdfPages(byte[] pdf) => PdfPage().Matches(Encoding.Latin1.GetString(pdf)).Count;

    [GeneratedRegex(@"/Type\s*/Page(?!s)")]
    private static partial Regex PdfPage();
}
