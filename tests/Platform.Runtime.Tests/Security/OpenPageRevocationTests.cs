using System.Net;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Ui;

namespace Platform.Runtime.Tests.Security;

/// <summary>A UI page left open (a live Blazor circuit) notices that its sign-in was revoked and goes to the login page.</summary>
[Collection("security")]
public sealed class OpenPageRevocationTests(SecurityFixture security)
{
    [Fact]
    public async Task OpenPage_GoesToLogin_WhenAdminRevokesSessions()
    {
        var user = await security.NewUserAsync("circuit");
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                Locale = "zh-CN",
                ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = SecurityFixture.NewClientAddress() },
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(security.AddressA, "/login").ToString());
            await page.FillAsync("#userName", user);
            await page.FillAsync("#password", "demo1234");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await page.GotoAsync(new Uri(security.AddressA, "/inbox").ToString());
            await Assertions.Expect(page.Locator("[data-testid=inbox]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });

            using var admin = await security.AdminAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/admin/users/{user}/revoke-sessions", null)).StatusCode);

            // No click, no reload: the circuit's own check (every 2 s here) takes the page to login.
            await page.WaitForURLAsync(u => u.Contains("/login", StringComparison.Ordinal), new() { Timeout = 15_000 });
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, nameof(OpenPageRevocationTests));
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
