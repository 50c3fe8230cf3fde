using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

[Collection("platform")]
public sealed class HomePageTests(PlatformFixture platform)
{
    [Fact]
    public async Task Home_ListsAfterSalesApp_AfterSigningIn()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "zh-CN" });
            await page.GotoAsync(new Uri(platform.ServerAddress, "/").ToString());
            await page.WaitForURLAsync("**/login**");
            await Browser.ScreenshotAsync(page, "login");

            await page.FillAsync("#userName", "cs01");
            await page.FillAsync("#password", "wrong-password");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("用户名或密码错误");

            await page.FillAsync("#userName", "cs01");
            await page.FillAsync("#password", "demo1234");
            await page.ClickAsync("button[type=submit]");
            var card = page.Locator("[data-testid=app-after_sales]");
            await Assertions.Expect(card).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            await Assertions.Expect(card).ToContainTextAsync("售后服务");
            await Assertions.Expect(card).ToContainTextAsync("退换货申请");
            await Browser.ScreenshotAsync(page, "home");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
