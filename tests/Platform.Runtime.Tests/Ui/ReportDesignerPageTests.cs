using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>
/// The analyst drags a bar report together (reason × count), sees it live, publishes it, places it on a new dashboard,
/// publishes that, and the runtime dashboard draws it.
/// </summary>
[Collection("platform")]
public sealed class ReportDesignerPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task ReportDesigner_DraggedBarReport_IsLiveThenPublishedOntoANewDashboard()
    {
        const string report = "ui_reason_bar";
        const string dashboard = "ui_board";
        const string widget = "w_ui_reason_bar";
        var (playwright, browser) = await Browser.LaunchAsync();
        var page = await DesignerPage.SignInAsync(browser, platform);
        double[] bars;
        try
        {
            await DesignerPage.OpenAsync(page, platform, $"/design/apps/after_sales/reports/{report}", "[data-testid=publish-report]");
            await Assertions.Expect(page.Locator("[data-testid=report-state]")).ToContainTextAsync("未发布");
            await page.Locator("[data-testid=report-name]").FillAsync("退换货原因（柱状）");
            await page.Locator("[data-testid=report-name]").PressAsync("Tab");

            // Drag the reason onto the dimensions and the record count onto the measures.
            await page.Locator("[data-testid=field-reason]").DragToAsync(page.Locator("[data-testid=zone-dimensions]"));
            await Assertions.Expect(page.Locator("[data-testid=dimension-0]")).ToContainTextAsync("原因");
            await page.Locator("[data-testid=field-count]").DragToAsync(page.Locator("[data-testid=zone-measures]"));
            await Assertions.Expect(page.Locator("[data-testid=measure-0]")).ToBeVisibleAsync();

            // A chart the dimensions cannot draw is refused with the rule, naming chart.kind; then the bar chart.
            await page.Locator("[data-testid=chart-stacked-bar]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=preview-problems]")).ToContainTextAsync("chart.kind");
            await Assertions.Expect(page.Locator("[data-testid=preview-problems]")).ToContainTextAsync("两个维度");
            await page.Locator("[data-testid=chart-bar]").ClickAsync();

            var chart = page.Locator("[data-testid=preview-chart]");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-rendered", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
            bars = await page.EvaluateAsync<double[]>("""
                () => {
                  const option = window.echarts.getInstanceByDom(document.querySelector('[data-testid=preview-chart]')).getOption();
                  if (option.series[0].type !== 'bar') throw new Error('not a bar chart: ' + option.series[0].type);
                  return option.series[0].data.map(Number);
                }
                """);
            Assert.NotEmpty(bars);
            await Browser.ScreenshotAsync(page, "report-designer");

            await page.Locator("[data-testid=publish-report]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=report-state]")).ToContainTextAsync("已发布", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        }
        catch
        {
            await DesignerPage.FailShotAsync(page, "report-designer");
            throw;
        }

        // The API computes the same rows for the published definition.
        using var api = await platform.ClientForAsync("analyst");
        var data = JsonNode.Parse(await api.GetStringAsync($"/api/apps/after_sales/reports/{report}/data"))!;
        var rows = data["rows"]!.AsArray();
        Assert.Equal(rows.Count, bars.Length);
        Assert.Equal(rows.Select(r => r!["count"]!.GetValue<double>()).Order(), bars.Order());

        try
        {
            await DesignerPage.OpenAsync(page, platform, $"/design/apps/after_sales/dashboards/{dashboard}", "[data-testid=publish-dashboard]");
            await page.Locator("[data-testid=dashboard-name]").FillAsync("界面测试看板");
            await page.Locator("[data-testid=dashboard-name]").PressAsync("Tab");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=add-widget-report]"), "退换货原因（柱状）");
            await page.Locator("[data-testid=add-widget]").ClickAsync();
            await Assertions.Expect(page.Locator($"[data-testid=chart-{widget}]")).ToHaveAttributeAsync("data-rendered", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
            await Assertions.Expect(page.Locator($"[data-testid=widget-place-{widget}]")).ToHaveTextAsync("0,0 · 6×4");

            // Move it by dragging its title bar two columns to the right, then widen it with the handle button.
            var bar = page.Locator($"[data-testid=designer-widget-{widget}] [data-move-handle]");
            var box = (await bar.BoundingBoxAsync())!;
            var grid = (await page.Locator("[data-testid=dashboard-grid]").BoundingBoxAsync())!;
            var column = (grid.Width - 8 - 16 * 11) / 12 + 16;
            await page.Mouse.MoveAsync(box.X + 40, box.Y + box.Height / 2);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(box.X + 40 + (float)column, box.Y + box.Height / 2, new MouseMoveOptions { Steps = 5 });
            await page.Mouse.MoveAsync(box.X + 40 + (float)(2 * column), box.Y + box.Height / 2, new MouseMoveOptions { Steps = 5 });
            await page.Mouse.UpAsync();
            await Assertions.Expect(page.Locator($"[data-testid=widget-place-{widget}]")).ToHaveTextAsync("2,0 · 6×4");
            await page.Locator($"[data-testid=wider-{widget}]").ClickAsync();
            await Assertions.Expect(page.Locator($"[data-testid=widget-place-{widget}]")).ToHaveTextAsync("2,0 · 7×4");
            await Browser.ScreenshotAsync(page, "dashboard-designer");

            await page.Locator("[data-testid=publish-dashboard]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=dashboard-state]")).ToContainTextAsync("已发布", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });

            // The runtime dashboard draws the published widget.
            await page.Locator("[data-testid=open-dashboard]").ClickAsync();
            await page.WaitForURLAsync($"**/apps/after_sales/dashboards/{dashboard}");
            var runtimeChart = $"[data-testid=widget-{widget}] [data-testid=chart-{widget}]";
            await Assertions.Expect(page.Locator(runtimeChart)).ToHaveAttributeAsync("data-rendered", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
            var runtimeBars = await page.EvaluateAsync<double[]>($"() => window.echarts.getInstanceByDom(document.querySelector('{runtimeChart}')).getOption().series[0].data.map(Number)");
            Assert.Equal(bars.Order(), runtimeBars.Order());
        }
        catch
        {
            await DesignerPage.FailShotAsync(page, "dashboard-designer");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        var published = JsonNode.Parse(await api.GetStringAsync($"/api/apps/after_sales/dashboards/{dashboard}"))!;
        Assert.Equal(report, published["widgets"]![0]!["report"]!.GetValue<string>());
        Assert.Equal(2, published["widgets"]![0]!["x"]!.GetValue<int>());
        Assert.Equal(7, published["widgets"]![0]!["w"]!.GetValue<int>());
    }
}
