using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The after-sales overview in Debian's chromium: every widget draws, and clicking a bar or a table row opens the records behind it.</summary>
[Collection("platform")]
public sealed partial class DashboardPageTests(PlatformFixture platform)
{
    [GeneratedRegex(@"共 ([\d,]+) 条记录")]
    private static partial Regex Total();

    [Fact]
    public async Task Dashboard_DrawsEveryChart_AndDrillsIntoABar()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 }, Locale = "zh-CN" });
            page.Console += (_, m) => Console.WriteLine("[browser] " + m.Text);
            page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
            page.Response += (_, r) => { if (r.Status >= 400) Console.WriteLine($"[browser] {r.Status} {r.Url}"); };
            await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
            await page.FillAsync("#userName", "sup01");
            await page.FillAsync("#password", "demo1234");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("[data-testid=app-after_sales] [data-testid=dashboard-after_sales_overview]")).ToHaveAttributeAsync(
                "href", "apps/after_sales/dashboards/after_sales_overview", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
            await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/after_sales/dashboards/after_sales_overview").ToString());

            foreach (var chart in new[] { "w_return_rate", "w_reasons", "w_category", "w_response", "w_ftf", "w_csat" })
            {
                try
                {
                    await Assertions.Expect(page.Locator($"[data-testid=chart-{chart}]")).ToHaveAttributeAsync("data-rendered", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
                }
                catch (PlaywrightException)
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/ui-fail.png" });
                    throw;
                }
            }

            await Assertions.Expect(page.Locator("[data-testid=widget-w_engineers] tbody tr").First).ToBeVisibleAsync();
            // Words a business user reads: when the figures are from, and "daily summary" rather than the engine's terms.
            await Assertions.Expect(page.Locator("[data-testid=dashboard-time]")).ToContainTextAsync("更新于");
            await Assertions.Expect(page.GetByText("预聚合")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByText("计算用时")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "dashboard");

            // Click the middle of the first bar of the category chart, where echarts laid it out.
            await page.Locator("[data-testid=chart-w_category]").ScrollIntoViewIfNeededAsync();
            var chartBox = await page.Locator("[data-testid=chart-w_category]").BoundingBoxAsync();
            var pixel = await page.EvaluateAsync<double[]>("""
                () => {
                  const el = document.querySelector('[data-testid=chart-w_category]');
                  const chart = window.echarts.getInstanceByDom(el);
                  const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
                  return [bar.x + bar.width / 2, bar.y + bar.height / 2];
                }
                """);
            await page.Mouse.ClickAsync((float)(chartBox!.X + pixel[0]), (float)(chartBox.Y + pixel[1]));
            var dialog = page.Locator(".mud-dialog");
            await Assertions.Expect(dialog.Locator("[data-testid=drill-total]")).ToContainTextAsync("条记录", new LocatorAssertionsToContainTextOptions { Timeout = 10_000 });
            var total = long.Parse(Total().Match(await dialog.Locator("[data-testid=drill-total]").InnerTextAsync()).Groups[1].Value.Replace(",", string.Empty));
            var barValue = await page.EvaluateAsync<double>("() => window.echarts.getInstanceByDom(document.querySelector('[data-testid=chart-w_category]')).getOption().series[0].data[0]");
            Assert.Equal((long)barValue, total);
            Assert.True(await dialog.Locator("tbody tr").CountAsync() > 0);
            await Browser.ScreenshotAsync(page, "dashboard-drill", fullPage: false);
            await CloseDialogAsync(page);

            // A table row drills too.
            await page.Locator("[data-testid=widget-w_engineers] tbody tr").First.ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog [data-testid=drill-total]")).ToContainTextAsync("服务工单");
            await CloseDialogAsync(page);

            // The return-rate trend puts its rate on a right-hand percent axis beside the counts.
            var axes = await page.EvaluateAsync<string[]>("() => window.echarts.getInstanceByDom(document.querySelector('[data-testid=chart-w_return_rate]')).getOption().yAxis.map(a => a.name)");
            Assert.Equal(["数量", "百分比"], axes);

            // A region filter: the widgets whose reports have no region parameter say so instead of showing national figures silently.
            await Assertions.Expect(page.Locator("[data-testid^=unfiltered-]")).ToHaveCountAsync(0);
            await page.Locator("[data-testid=filter-region]").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "西部" }).ClickAsync();
            await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=export-w_reasons]")).ToHaveAttributeAsync("href", new Regex("region=west"));
            await page.Locator("[data-testid=apply-filters]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=unfiltered-w_reasons]")).ToHaveTextAsync("未按区域筛选", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=unfiltered-w_csat]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=unfiltered-w_return_rate]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=unfiltered-w_stages]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=unfiltered-w_engineers]")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "dashboard-region-filter");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    // Escape reaches the dialog only once it has focus, so the test closes it by its button and waits until it is gone.
    private static async Task CloseDialogAsync(IPage page)
    {
        await page.Locator(".mud-dialog .mud-button-close").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
    }
}
