using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>
/// The flow designer in Debian's chromium: an analyst draws a flow on the x6 canvas by dragging steps from the palette
/// and connecting ports, sets the approver in the property panel and publishes; a record then runs through it. Also:
/// problems show on the nodes, and a simulation highlights its path.
/// </summary>
[Collection("platform")]
public sealed class FlowDesignerPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task Designer_PublishesADrawnFlow_ThatARecordCompletes()
    {
        var app = $"leave_{Guid.NewGuid():N}"[..20];
        using (var admin = await platform.ClientForAsync("admin"))
        {
            var import = await admin.PostAsJsonAsync("/api/apps/import", SmallApp(app));
            Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await OpenAsync(browser, $"/design/apps/{app}/flows/leave_flow");
            await page.Locator("[data-testid=new-flow-entity]").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "请假申请" }).ClickAsync();
            await page.Locator("[data-testid=new-flow-name]").FillAsync("请假审批");
            await page.Locator("[data-testid=new-flow-create]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=flow-canvas-host]")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 20_000 });

            await FlowCanvasDriver.DropAsync(page, "start", 120, 200);
            await FlowCanvasDriver.DropAsync(page, "approval", 360, 200);
            await FlowCanvasDriver.DropAsync(page, "end", 600, 200);
            await Assertions.Expect(page.Locator("[data-cell-id=end_1]")).ToBeVisibleAsync();

            // A step dropped by mistake goes with the Delete key.
            await FlowCanvasDriver.DropAsync(page, "cc", 360, 380);
            await page.Keyboard.PressAsync("Delete");
            await Assertions.Expect(page.Locator("[data-cell-id=cc_1]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=flow-properties]")).ToBeVisibleAsync();

            // The approval has no assignee yet: its node shows the problem.
            await Assertions.Expect(page.Locator("[data-cell-id=approval_1] [data-problem=true]")).ToHaveCountAsync(1);
            await page.Mouse.MoveAsync(5, 5);
            await Assertions.Expect(page.Locator("[data-testid=flow-node-tip]")).ToBeHiddenAsync();
            await page.Locator("[data-cell-id=approval_1]").HoverAsync();
            await Assertions.Expect(page.Locator("[data-testid=flow-node-tip]")).ToContainTextAsync("没有指定处理人");
            await Assertions.Expect(page.Locator("[data-testid=flow-problem][data-step=approval_1]").First).ToBeVisibleAsync();

            await FlowCanvasDriver.ConnectAsync(page, "start_1", "approval_1");
            await FlowCanvasDriver.ConnectAsync(page, "approval_1", "end_1");

            // The unpublished work survives a reload as the browser's draft.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=flow-designer]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
            await page.Locator("[data-testid=draft-restore]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=flow-canvas-host]")).ToHaveAttributeAsync("data-nodes", "3");
            await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(2);

            // Publishing with problems left is refused.
            await page.Locator("[data-testid=flow-publish]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "改正后才能发布" })).ToBeVisibleAsync();

            await page.Locator("[data-cell-id=approval_1]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=step-properties]")).ToHaveAttributeAsync("data-step", "approval_1");
            await page.Locator("[data-testid=assignee-users]").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "sup01" }).ClickAsync();
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator("[data-testid=flow-no-problems]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-cell-id=approval_1] [data-problem=true]")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "flow-designer-new", fullPage: false);

            await page.Locator("[data-testid=flow-publish]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "已发布版本 v1" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        // Published as drawn, node positions included; a record starts it, sup01 approves, the instance completes.
        using var analyst = await platform.ClientForAsync("admin");
        var published = (await analyst.GetFromJsonAsync<JsonObject>($"/api/apps/{app}/flows/leave_flow"))!;
        var approval = published["steps"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "approval_1")!;
        Assert.Equal(["sup01"], approval["assignees"]!["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.True(approval["position"]!["x"]!.GetValue<double>() > 0);
        Assert.Equal(2, published["transitions"]!.AsArray().Count);
        var created = await analyst.PostAsJsonAsync($"/api/apps/{app}/entities/leave_request/records", new { data = new { title = "年假", days = 3 } });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var record = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var instanceId = record["flow"]!["instanceId"]!.GetValue<string>();
        Assert.Equal(["approval_1"], record["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));

        using var supervisor = await platform.ClientForAsync("sup01");
        var tasks = (await supervisor.GetFromJsonAsync<JsonArray>("/api/tasks"))!;
        var task = tasks.Single(t => t!["flowInstanceId"]!.GetValue<string>() == instanceId)!;
        var acted = await supervisor.PostAsJsonAsync($"/api/tasks/{task["id"]}/actions", new { action = "approve", comment = "同意" });
        Assert.True(acted.IsSuccessStatusCode, await acted.Content.ReadAsStringAsync());
        var instance = (await supervisor.GetFromJsonAsync<JsonObject>($"/api/flows/instances/{instanceId}"))!;
        Assert.Equal("completed", instance["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Designer_ShowsServiceFlow_AndSimulationHighlightsItsPath()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await OpenAsync(browser, "/design/apps/after_sales/flows/service_flow");
            var host = page.Locator("[data-testid=flow-canvas-host]");
            await Assertions.Expect(host).ToHaveAttributeAsync("data-nodes", "9", new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-testid=flow-no-problems]")).ToBeVisibleAsync();
            await page.Locator("[data-testid=flow-auto-layout]").ClickAsync();
            await page.Locator("[data-cell-id=type_check]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=step-properties]")).ToHaveAttributeAsync("data-step", "type_check");
            await Assertions.Expect(page.Locator("[data-testid=transition-type_check-complaint_review] [data-testid=cond-raw]")).ToHaveValueAsync("type == 'complaint'");
            await Browser.ScreenshotAsync(page, "flow-designer", fullPage: false);

            // A complaint goes through the countersign review, then follow-up and close.
            await page.Locator(".mud-tab", new PageLocatorOptions { HasText = "模拟运行" }).ClickAsync();
            await page.Locator("[data-testid=simulate-values]").ClickAsync();
            await page.Locator("[data-testid=simulate-field-type]").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "投诉" }).ClickAsync();
            await page.Locator("[data-testid=simulate-values] .mud-expand-panel-header").ClickAsync();
            await page.Locator("[data-testid=simulate-run]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=simulate-status]")).ToContainTextAsync("已完成", new() { Timeout = 10_000 });
            await Assertions.Expect(host).ToHaveAttributeAsync("data-path", "created,accept,type_check,complaint_review,follow_up,close");
            await Assertions.Expect(page.Locator("[data-cell-id=complaint_review] [data-path=true]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-cell-id=dispatch] [data-path=true]")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "flow-simulate", fullPage: false);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private async Task<IPage> OpenAsync(IBrowser browser, string path)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 }, Locale = "zh-CN" });
        page.Console += (_, m) => Console.WriteLine("[browser] " + m.Text);
        page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
        page.Response += (_, r) => { if (r.Status >= 400) Console.WriteLine($"[browser] {r.Status} {r.Url}"); };
        await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
        await page.FillAsync("#userName", "analyst");
        await page.FillAsync("#password", "demo1234");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Uri(platform.ServerAddress, "/").ToString());
        await page.GotoAsync(new Uri(platform.ServerAddress, path).ToString());
        await Assertions.Expect(page.Locator("[data-testid=flow-designer]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
        return page;
    }

    private static JsonObject SmallApp(string key) => JsonNode.Parse($$"""
        {
          "format": "platform-app",
          "formatVersion": 1,
          "app": { "key": "{{key}}", "name": "请假测试" },
          "entities": [
            {
              "key": "leave_request",
              "label": "请假申请",
              "fields": [
                { "key": "title", "type": "text", "label": "事由", "required": true },
                { "key": "days", "type": "integer", "label": "天数" }
              ]
            }
          ]
        }
        """)!.AsObject();
}
