using Microsoft.Playwright;

namespace Platform.Runtime.Tests.Ui;

/// <summary>Debian's chromium driven by Playwright (no browser download is possible here).</summary>
internal static class Browser
{
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }

    /// <summary>A phone screen 375 px wide (WeChat's in-app browser on a common phone), touch, zh-CN.</summary>
    public static BrowserNewPageOptions Phone(int height = 812) => new()
    {
        ViewportSize = new ViewportSize { Width = 375, Height = height }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true, Locale = "zh-CN",
    };

    /// <summary>Saves a screenshot to docs/screenshots when PLATFORM_SCREENSHOTS=1 (refreshing the committed ones).</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        if (Environment.GetEnvironmentVariable("PLATFORM_SCREENSHOTS") != "1")
        {
            return;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                var target = Path.Combine(dir.FullName, "docs", "screenshots");
                Directory.CreateDirectory(target);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(target, name + ".png"), FullPage = fullPage });
                return;
            }
        }
    }

    /// <summary>Keeps what the last page of a failed test looked like in /tmp (not in the repository).</summary>
    public static async Task FailureScreenshotAsync(IBrowser browser, string name)
    {
        foreach (var context in browser.Contexts)
        {
            foreach (var page in context.Pages)
            {
                try
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = $"/tmp/ui-fail-{name}.png", FullPage = true });
                }
                catch (PlaywrightException)
                {
                }
            }
        }
    }
}
