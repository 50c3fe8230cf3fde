using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>
/// Issue 7's acceptance walked end to end in chromium, as new users would: an analyst draws a two-approval flow and
/// publishes it, a record is created through the generated form and each approver approves it from the inbox; a
/// customer on a 375 px phone submits the public return form and tracks the request.
/// </summary>
[Collection("platform")]
public sealed partial class JourneyTests(PlatformFixture platform)
{
    [GeneratedRegex(@"/records/purchase_request/([0-9a-f-]{36})$")]
    private static partial Regex DetailUrl();

    [Fact]
    public async Task FlowJourney_RecordCompletesTwoApprovals_WhenEachApproverApprovesFromTheInbox()
    {
        var app = $"buy_{Guid.NewGuid():N}"[..16];
        using (var admin = await platform.ClientForAsync("admin"))
        {
            var import = await admin.PostAsJsonAsync("/api/apps/import", SmallApp(app));
            Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            // The analyst draws start → 主管审批 (sup01) → 财务审批 (fin01) → end and publishes.
            var page = await SignInAsync(browser, "analyst", 1920, 1080);
            await page.GotoAsync(Url($"/design/apps/{app}/flows/purchase_flow"));
            await Assertions.Expect(page.Locator("[data-testid=flow-designer]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
            await DrawTwoApprovalsAsync(page, "采购申请", "采购审批", [(120, 200), (330, 200), (540, 200), (750, 200)]);
            await Browser.ScreenshotAsync(page, "journey-flow-drawn", fullPage: false);
            await page.Locator("[data-testid=flow-publish]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "已发布版本 v1" })).ToBeVisibleAsync(new() { Timeout = 10_000 });

            // The analyst files a request through the generated form; the flow starts at the first approval.
            await page.GotoAsync(Url($"/apps/{app}/records/purchase_request/new"));
            await FormDriver.WaitReadyAsync(page);
            await FormDriver.FillAsync(page, "title", "采购笔记本电脑");
            await FormDriver.FillAsync(page, "amount", "8000");
            await Browser.ScreenshotAsync(page, "journey-record-new", fullPage: false);
            await page.ClickAsync("[data-testid=form-submit]");
            await page.WaitForURLAsync(DetailUrl(), new PageWaitForURLOptions { Timeout = 20_000 });
            var recordId = DetailUrl().Match(page.Url).Groups[1].Value;
            await Assertions.Expect(page.Locator("[data-testid=flow-status]")).ToHaveTextAsync("进行中", new() { Timeout = 15_000 });

            // Each approver approves from the inbox's task dialog, in turn.
            await ApproveFromInboxAsync(browser, "sup01", recordId, "主管审批", "预算内，同意", "journey-inbox-sup01");
            await ApproveFromInboxAsync(browser, "fin01", recordId, "财务审批", "财务同意", "journey-inbox-fin01");

            // The record's detail shows the flow completed, with both approvals in its timeline.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=flow-status]")).ToHaveTextAsync("已完成", new() { Timeout = 15_000 });
            var approvals = page.Locator("[data-testid=timeline-entry][data-action=approve]");
            await Assertions.Expect(approvals).ToHaveCountAsync(2);
            await Assertions.Expect(approvals.Nth(0)).ToContainTextAsync("主管审批");
            await Assertions.Expect(approvals.Nth(0)).ToContainTextAsync("预算内，同意");
            await Assertions.Expect(approvals.Nth(1)).ToContainTextAsync("财务审批");
            await Assertions.Expect(approvals.Nth(1)).ToContainTextAsync("财务同意");
            await Browser.ScreenshotAsync(page, "journey-record-completed");

            var history = (await RecordPages.GetAsync(platform, "admin", $"/api/apps/{app}/entities/purchase_request/records/{recordId}"))["flow"]!;
            Assert.Equal("completed", history["status"]!.GetValue<string>());
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "journey-flow");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task CustomerJourney_SeesErrorsThenSubmitsAndTracks_OnAPhone()
    {
        string token;
        using (var analyst = await platform.ClientForAsync("analyst"))
        {
            var links = (await analyst.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms"))!;
            token = (string)links.Single(l => (string?)l!["form"] == "return_form")!["token"]!;
        }

        string orderNo;
        using (var cs = await platform.ClientForAsync("cs01"))
        {
            var orders = (await cs.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/entities/sales_order/records?pageSize=200&sort=-purchased_at"))!["items"]!.AsArray();
            orderNo = (string)orders.Select(o => o!["data"]!).First(d => d["items"]!.AsArray().Count == 1)["order_no"]!;
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(Browser.Phone());
            page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
            await page.GotoAsync(Url($"/f/{token}"));
            await FormDriver.WaitReadyAsync(page);

            // Submitting the empty form marks the required fields and creates nothing.
            var before = await platform.CountAsync("select count(*) from records where entity_key = 'return_request'");
            await page.ClickAsync("[data-testid=form-submit]");
            foreach (var required in new[] { "order_no", "customer_name", "phone", "kind", "reason" })
            {
                await Assertions.Expect(FormDriver.Field(page, required)).ToHaveAttributeAsync("data-error", "true");
            }

            await Assertions.Expect(page.Locator("[data-testid=form-errors]")).ToBeVisibleAsync();
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Browser.ScreenshotAsync(page, "journey-public-errors");
            Assert.Equal(before, await platform.CountAsync("select count(*) from records where entity_key = 'return_request'"));

            await FormDriver.FillAsync(page, "order_no", orderNo);
            await Assertions.Expect(FormDriver.Field(page, "order_no")).ToHaveAttributeAsync("data-error", "false");
            await FormDriver.FillAsync(page, "customer_name", "王先生");
            await FormDriver.FillAsync(page, "phone", "13700001111");
            await FormDriver.SelectAsync(page, "kind", "退货");
            await FormDriver.SelectAsync(page, "reason", "七天无理由");
            await FormDriver.FillAsync(page, "quantity", "1");
            await page.ClickAsync("[data-testid=form-submit]");

            var number = page.Locator("[data-testid=tracking-no]");
            await Assertions.Expect(number).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            var trackingNo = (await number.InnerTextAsync()).Trim();
            Assert.Equal(before + 1, await platform.CountAsync("select count(*) from records where entity_key = 'return_request'"));
            await Browser.ScreenshotAsync(page, "journey-public-submitted");

            // The link on the success page leads to tracking with the number filled in; the phone shows the timeline.
            await page.Locator("[data-testid=track-link]").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/track\\?no={trackingNo}$"));
            await Assertions.Expect(page.Locator("[data-testid=track-number] input, input[data-testid=track-number]").First).ToHaveValueAsync(trackingNo, new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=track-form]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 15_000 });
            await page.Locator("[data-testid=track-phone] input, input[data-testid=track-phone]").First.FillAsync("13700001111");
            await page.Locator("[data-testid=track-submit]").ClickAsync();
            var entries = page.Locator("[data-testid=track-entry]");
            await Assertions.Expect(entries.Last).ToContainTextAsync("已提交申请");
            await Assertions.Expect(entries.First).ToHaveClassAsync("current");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll at 375 px");
            await page.WaitForTimeoutAsync(600);
            await Browser.ScreenshotAsync(page, "journey-track");
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "journey-customer");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task AppJourney_AnalystBuildsFormTwoStepApprovalAndChart_InTheBrowserAlone()
    {
        var app = $"j{Guid.NewGuid():N}"[..12];
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            // A blank app from the app list, then a new entity whose form is designed by dragging from the palette.
            var page = await SignInAsync(browser, "analyst");
            await Assertions.Expect(page.Locator("[data-testid=app-after_sales]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await FormDesignerPageTests.ClickUntilAsync(page, "[data-testid=new-app]", ".mud-dialog");
            await Input(page, "app-key").FillAsync(app);
            await Input(page, "app-name").FillAsync("报销管理");
            await page.ClickAsync("[data-testid=create-app-submit]");
            await page.WaitForURLAsync($"**/design/apps/{app}");
            await FormDesignerPageTests.ClickUntilAsync(page, "[data-testid=new-entity]", ".mud-dialog");
            await Input(page, "new-key").FillAsync("expense");
            await page.ClickAsync("[data-testid=new-key-submit]");
            await page.WaitForURLAsync($"**/design/apps/{app}/forms/expense");
            await Assertions.Expect(page.Locator("[data-testid=designer]")).ToHaveAttributeAsync("data-dnd-ready", "true", new() { Timeout = 20_000 });

            // With no field selected the panel holds the entity's own name.
            await Input(page, "entity-label").FillAsync("报销单");
            await Input(page, "entity-label").PressAsync("Tab");
            var drop = page.Locator("[data-testid=drop-basic]");
            foreach (var (type, key) in new[] { ("text", "text_1"), ("number", "number_1") })
            {
                await page.Locator($"[data-testid=palette-{type}]").DragToAsync(drop, new LocatorDragToOptions { TargetPosition = new TargetPosition { X = 10, Y = (await drop.BoundingBoxAsync())!.Height - 7 } });
                await Assertions.Expect(page.Locator($"[data-testid=fd-field-{key}]")).ToBeVisibleAsync();
            }

            await page.ClickAsync("[data-testid=fd-field-text_1]");
            await Assertions.Expect(Input(page, "prop-key")).ToHaveValueAsync("text_1");
            await Input(page, "prop-label").FillAsync("报销事由");
            await Input(page, "prop-label").PressAsync("Tab");
            await Input(page, "prop-required").CheckAsync();
            await page.ClickAsync("[data-testid=fd-field-number_1]");
            await Assertions.Expect(Input(page, "prop-key")).ToHaveValueAsync("number_1");
            await Input(page, "prop-label").FillAsync("金额");
            await Input(page, "prop-label").PressAsync("Tab");
            await Assertions.Expect(page.Locator("[data-testid=fd-field-number_1]")).ToContainTextAsync("金额");
            await Browser.ScreenshotAsync(page, "journey-form-designed", fullPage: false);
            await page.ClickAsync("[data-testid=publish]");
            await Assertions.Expect(page.Locator("[data-testid=entity-state]")).ToContainTextAsync("已发布", new() { Timeout = 15_000 });

            // From the app's overview, a new flow for the form: start → 主管审批 (sup01) → 财务审批 (fin01) → end.
            await NewDefinitionAsync(page, app, "flows", "expense_flow");
            await Assertions.Expect(page.Locator("[data-testid=flow-designer]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
            await DrawTwoApprovalsAsync(page, "报销单", "报销审批", [(200, 60), (200, 190), (200, 320), (200, 450)]); // top to bottom: the canvas is narrower at 1440 px
            await page.Locator("[data-testid=flow-publish]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "已发布版本 v1" })).ToBeVisibleAsync(new() { Timeout = 10_000 });

            // The published form: the required field is asked for, then the record is saved and shown.
            await page.GotoAsync(Url($"/apps/{app}/records/expense/new"));
            await FormDriver.WaitReadyAsync(page);
            await Assertions.Expect(FormDriver.Field(page, "text_1")).ToContainTextAsync("报销事由");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("报销单");
            await FormDriver.FillAsync(page, "number_1", "256");
            await page.ClickAsync("[data-testid=form-submit]");
            await Assertions.Expect(FormDriver.Field(page, "text_1")).ToHaveAttributeAsync("data-error", "true");
            Assert.Equal(0, await platform.CountAsync("select count(*) from records where app_key = $1", app));
            await FormDriver.FillAsync(page, "text_1", "客户拜访打车");
            await page.ClickAsync("[data-testid=form-submit]");
            await page.WaitForURLAsync(new Regex($"/apps/{app}/records/expense/[0-9a-f-]{{36}}$"), new PageWaitForURLOptions { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-testid=field-text_1]")).ToContainTextAsync("客户拜访打车", new() { Timeout = 15_000 });
            await Browser.ScreenshotAsync(page, "journey-form-record", fullPage: false);
            Assert.Equal(1, await platform.CountAsync("select count(*) from records where app_key = $1 and data->>'text_1' = '客户拜访打车' and (data->>'number_1')::numeric = 256", app));

            // The record went into the drawn flow; each approver approves it from the inbox, and it completes.
            var recordId = page.Url[^36..];
            await Assertions.Expect(page.Locator("[data-testid=flow-status]")).ToHaveTextAsync("进行中", new() { Timeout = 15_000 });
            await ApproveFromInboxAsync(browser, "sup01", recordId, "主管审批", "同意", screenshot: null);
            await ApproveFromInboxAsync(browser, "fin01", recordId, "财务审批", "已核对", screenshot: null);
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=flow-status]")).ToHaveTextAsync("已完成", new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=timeline-entry][data-action=approve]")).ToHaveCountAsync(2);

            // A bar chart of the amounts by purpose, dragged together in the report designer, on a new dashboard.
            await NewDefinitionAsync(page, app, "reports", "expense_by_purpose");
            await Assertions.Expect(page.Locator("[data-testid=publish-report]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await page.WaitForFunctionAsync("() => window.Blazor && document.querySelector('.mud-popover-provider') !== null");
            await page.Locator("[data-testid=report-name] input, input[data-testid=report-name]").First.FillAsync("报销金额（按事由）");
            await page.Locator("[data-testid=report-name] input, input[data-testid=report-name]").First.PressAsync("Tab");
            await page.Locator("[data-testid=field-text_1]").DragToAsync(page.Locator("[data-testid=zone-dimensions]"));
            await Assertions.Expect(page.Locator("[data-testid=dimension-0]")).ToContainTextAsync("报销事由");
            await page.Locator("[data-testid=field-number_1]").DragToAsync(page.Locator("[data-testid=zone-measures]"));
            await Assertions.Expect(page.Locator("[data-testid=measure-0]")).ToBeVisibleAsync();
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=measure-0-kind]"), "求和");
            await page.Locator("[data-testid=chart-bar]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=preview-chart]")).ToHaveAttributeAsync("data-rendered", "true", new() { Timeout = 20_000 });
            Assert.Equal(new[] { 256d }, await BarsAsync(page, "[data-testid=preview-chart]"));
            await page.Locator("[data-testid=publish-report]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=report-state]")).ToContainTextAsync("已发布", new() { Timeout = 15_000 });

            await NewDefinitionAsync(page, app, "dashboards", "expense_board");
            await Assertions.Expect(page.Locator("[data-testid=publish-dashboard]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await page.WaitForFunctionAsync("() => window.Blazor && document.querySelector('.mud-popover-provider') !== null");
            await page.Locator("[data-testid=dashboard-name] input, input[data-testid=dashboard-name]").First.FillAsync("报销看板");
            await page.Locator("[data-testid=dashboard-name] input, input[data-testid=dashboard-name]").First.PressAsync("Tab");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=add-widget-report]"), "报销金额（按事由）");
            await page.Locator("[data-testid=add-widget]").ClickAsync();
            await page.Locator("[data-testid=publish-dashboard]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=dashboard-state]")).ToContainTextAsync("已发布", new() { Timeout = 15_000 });
            await page.Locator("[data-testid=open-dashboard]").ClickAsync();
            await page.WaitForURLAsync($"**/apps/{app}/dashboards/expense_board");
            var chart = "[data-testid^=widget-] [data-testid^=chart-]";
            await Assertions.Expect(page.Locator(chart)).ToHaveAttributeAsync("data-rendered", "true", new() { Timeout = 20_000 });
            Assert.Equal(new[] { 256d }, await BarsAsync(page, chart));
            await Browser.ScreenshotAsync(page, "journey-app-dashboard", fullPage: false);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "journey-form");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Opens the app's overview and creates a new flow, report or dashboard there, as the analyst would.</summary>
    private async Task NewDefinitionAsync(IPage page, string app, string route, string key)
    {
        await page.GotoAsync(Url($"/design/apps/{app}"));
        await Assertions.Expect(page.Locator($"[data-testid=new-{route}]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await FormDesignerPageTests.ClickUntilAsync(page, $"[data-testid=new-{route}]", ".mud-dialog");
        await Input(page, "new-key").FillAsync(key);
        await page.ClickAsync("[data-testid=new-key-submit]");
        await page.WaitForURLAsync($"**/design/apps/{app}/{route}/{key}", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
    }

    private static Task<double[]> BarsAsync(IPage page, string chart) => page.EvaluateAsync<double[]>(
        "selector => window.echarts.getInstanceByDom(document.querySelector(selector)).getOption().series[0].data.map(Number)", chart);

    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    private string Url(string path) => new Uri(platform.ServerAddress, path).ToString();

    private async Task<IPage> SignInAsync(IBrowser browser, string user, int width = 1440, int height = 1000)
    {
        var page = await RecordPages.SignInAsync(browser, platform, user, width, height);
        page.Console += (_, m) => Console.WriteLine($"[{user}] " + m.Text);
        return page;
    }

    private async Task ApproveFromInboxAsync(IBrowser browser, string user, string recordId, string step, string comment, string? screenshot)
    {
        var page = await SignInAsync(browser, user);
        await page.GotoAsync(Url("/inbox"));
        var row = page.Locator($"[data-testid=inbox-row][data-record='{recordId}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=inbox]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 15_000 });
        await Assertions.Expect(row).ToContainTextAsync(step);
        await row.Locator("[data-testid=quick-approve]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog.Locator("[data-testid=task-submit]")).ToBeVisibleAsync();
        await dialog.Locator("textarea[data-testid=task-comment], [data-testid=task-comment] textarea").First.FillAsync(comment);
        await page.WaitForTimeoutAsync(400);
        if (screenshot is not null)
        {
            await Browser.ScreenshotAsync(page, screenshot, fullPage: false);
        }

        await dialog.Locator("[data-testid=task-submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已通过");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// In a new flow's designer: binds it to the entity, drops start → 主管审批 (sup01) → 财务审批 (fin01) → end at the
    /// four canvas points, connects them, and checks that no problem is left.
    /// </summary>
    private static async Task DrawTwoApprovalsAsync(IPage page, string entityLabel, string flowName, (float X, float Y)[] at)
    {
        await page.Locator("[data-testid=new-flow-entity]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = entityLabel }).ClickAsync();
        await page.Locator("[data-testid=new-flow-name] input, input[data-testid=new-flow-name]").First.FillAsync(flowName);
        await page.Locator("[data-testid=new-flow-create]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=flow-canvas-host]")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 20_000 });

        string[] types = ["start", "approval", "approval", "end"];
        for (var i = 0; i < types.Length; i++)
        {
            await FlowCanvasDriver.DropAsync(page, types[i], at[i].X, at[i].Y);
        }

        await Assertions.Expect(page.Locator("[data-cell-id=approval_2]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-cell-id=end_1]")).ToBeVisibleAsync();
        await FlowCanvasDriver.ConnectAsync(page, "start_1", "approval_1");
        await FlowCanvasDriver.ConnectAsync(page, "approval_1", "approval_2");
        await FlowCanvasDriver.ConnectAsync(page, "approval_2", "end_1");
        await AssignAsync(page, "approval_1", "主管审批", "sup01");
        await AssignAsync(page, "approval_2", "财务审批", "fin01");
        await Assertions.Expect(page.Locator("[data-testid=flow-no-problems]")).ToBeVisibleAsync();
    }

    /// <summary>Selects a step on the canvas, names it and picks its approver in the property panel.</summary>
    private static async Task AssignAsync(IPage page, string step, string name, string user)
    {
        await page.Locator($"[data-cell-id={step}]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=step-properties]")).ToHaveAttributeAsync("data-step", step);
        var nameInput = page.Locator("input[data-testid=step-name], [data-testid=step-name] input").First;
        await nameInput.FillAsync(name);
        await nameInput.PressAsync("Tab");
        await Assertions.Expect(page.Locator($"[data-cell-id={step}]")).ToContainTextAsync(name);
        await page.Locator("[data-testid=assignee-users]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = user }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator($"[data-cell-id={step}] [data-problem=true]")).ToHaveCountAsync(0);
    }

    private static JsonObject SmallApp(string key) => JsonNode.Parse($$"""
        {
          "format": "platform-app",
          "formatVersion": 1,
          "app": { "key": "{{key}}", "name": "采购测试" },
          "entities": [
            {
              "key": "purchase_request",
              "label": "采购申请",
              "fields": [
                { "key": "title", "type": "text", "label": "采购事项", "required": true },
                { "key": "amount", "type": "integer", "label": "金额" }
              ]
            }
          ]
        }
        """)!.AsObject();
}
