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

    [Fact]
    public async Task Drawer_OpensAndClosesAsMudDrawerDoes_OnWideAndNarrowScreens()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "zh-CN" });
            await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
            await page.FillAsync("#userName", "cs01");
            await page.FillAsync("#password", "demo1234");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("[data-testid=app-after_sales]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            var drawer = page.Locator("[data-testid=drawer]");
            var overlay = page.Locator("[data-drawer-overlay]");
            var inboxLink = page.Locator("[data-testid=nav-inbox]");

            // Wide: open beside the page, the menu button closes and opens it, no overlay.
            await Assertions.Expect(inboxLink).ToBeInViewportAsync();
            await page.ClickAsync("[data-testid=menu-button]");
            await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
            await Assertions.Expect(inboxLink).Not.ToBeInViewportAsync();
            await Assertions.Expect(overlay).ToBeHiddenAsync();
            await page.ClickAsync("[data-testid=menu-button]");
            await Assertions.Expect(inboxLink).ToBeInViewportAsync();

            // A click on the prerendered page, while the circuit starts and renders the layout anew, is kept.
            await page.GotoAsync(new Uri(platform.ServerAddress, "/inbox").ToString());
            await page.ClickAsync("[data-testid=menu-button]");
            await Assertions.Expect(page.Locator("[data-testid=inbox][data-interactive=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
            await Assertions.Expect(inboxLink).Not.ToBeInViewportAsync();
            await page.ClickAsync("[data-testid=menu-button]");
            await Assertions.Expect(inboxLink).ToBeInViewportAsync();

            // Narrow: closed at first; the button opens it over the page with an overlay, which closes it; a menu link closes it too.
            await page.SetViewportSizeAsync(600, 800);
            await Assertions.Expect(inboxLink).Not.ToBeInViewportAsync();
            await page.GotoAsync(platform.ServerAddress.ToString());
            await Assertions.Expect(page.Locator("[data-testid=app-after_sales]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            await Assertions.Expect(inboxLink).Not.ToBeVisibleAsync();
            await page.ClickAsync("[data-testid=menu-button]");
            await Assertions.Expect(inboxLink).ToBeInViewportAsync();
            await Assertions.Expect(overlay).ToBeVisibleAsync();
            await overlay.ClickAsync(new LocatorClickOptions { Position = new Position { X = 500, Y = 400 } });
            await Assertions.Expect(inboxLink).Not.ToBeInViewportAsync();
            await Assertions.Expect(overlay).ToBeHiddenAsync();
            await page.ClickAsync("[data-testid=menu-button]");
            await inboxLink.ClickAsync();
            await page.WaitForURLAsync("**/inbox");
            await Assertions.Expect(inboxLink).Not.ToBeInViewportAsync();
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
