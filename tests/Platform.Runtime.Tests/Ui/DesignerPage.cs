using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>Steps the designer tests share: sign in as the analyst, pick an item of a MudSelect, wait for the circuit.</summary>
internal static class DesignerPage
{
    public static async Task<IPage> SignInAsync(IBrowser browser, PlatformFixture platform, string userName = "analyst")
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 }, Locale = "zh-CN" });
        page.Console += (_, m) => Console.WriteLine("[browser] " + m.Text);
        page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                Console.WriteLine($"[browser] {r.Status} {r.Url}");
            }
        };
        await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", "demo1234");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 20_000 });
        return page;
    }

    /// <summary>Opens a designer route and waits until the interactive circuit has rendered <paramref name="ready"/>.</summary>
    public static async Task OpenAsync(IPage page, PlatformFixture platform, string path, string ready)
    {
        await page.GotoAsync(new Uri(platform.ServerAddress, path).ToString());
        await Assertions.Expect(page.Locator(ready)).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });

        // The first render is prerendered; wait for Blazor's circuit before clicking.
        await page.WaitForFunctionAsync("() => window.Blazor && document.querySelector('.mud-popover-provider') !== null", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(500);
    }

    /// <summary>Opens the MudSelect inside <paramref name="select"/> and clicks the item with <paramref name="text"/>.</summary>
    public static async Task PickAsync(IPage page, ILocator select, string text)
    {
        await select.ClickAsync(new LocatorClickOptions { Force = true });
        var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = text }).First;
        await item.ClickAsync(new LocatorClickOptions { Timeout = 10_000 });
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 5_000 });
    }

    public static async Task FailShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = $"/tmp/ui-fail-{name}.png", FullPage = true });
}
