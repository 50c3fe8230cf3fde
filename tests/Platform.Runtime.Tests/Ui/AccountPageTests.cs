using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>/account: a user changes their own password from the app bar's user menu, stays signed in, and signs in with the new one.</summary>
[Collection("platform")]
public sealed class AccountPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task AccountPage_ChangesOwnPassword_KeepsThisBrowserSignedIn_AndEndsOtherTokens()
    {
        var userName = $"ui_pw_{Guid.NewGuid():N}"[..12];
        using (var admin = await platform.ClientForAsync("admin"))
        {
            await ApiAssert.JsonAsync(
                await admin.PostAsJsonAsync("/api/admin/users", new { userName, displayName = "改密测试", password = "demo1234", roles = new[] { "customer_service" } }),
                HttpStatusCode.Created);
        }

        using var anonymous = platform.Anonymous();
        var token = (await ApiAssert.JsonAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password = "demo1234" }), HttpStatusCode.OK))["token"]!.GetValue<string>();
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "zh-CN" });
            await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
            await page.FillAsync("#userName", userName);
            await page.FillAsync("#password", "demo1234");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });

            // The user's name in the app bar leads to their account.
            await page.Locator("[data-testid=current-user]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=password-form][data-interactive=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });

            // A wrong current password is named on its field and changes nothing.
            await Input(page, "password-current").FillAsync("wrong-pass-1");
            await Input(page, "password-next").FillAsync("new-secret-9");
            await Input(page, "password-again").FillAsync("new-secret-9");
            await page.Locator("[data-testid=password-save]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=password-form]")).ToContainTextAsync("当前密码不正确");

            await Input(page, "password-current").FillAsync("demo1234");
            await page.Locator("[data-testid=password-save]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            Assert.EndsWith("/account?changed=1", page.Url, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("[data-testid=password-form][data-interactive=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
            await Browser.ScreenshotAsync(page, "account-password", fullPage: false);

            // This browser is still signed in after a full reload; the token from before the change is not.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            Assert.DoesNotContain("/login", page.Url, StringComparison.Ordinal);
            using var stale = platform.Anonymous();
            stale.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/auth/me")).StatusCode);

            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password = "demo1234" })).StatusCode);
            await ApiAssert.JsonAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password = "new-secret-9" }), HttpStatusCode.OK);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, nameof(AccountPage_ChangesOwnPassword_KeepsThisBrowserSignedIn_AndEndsOtherTokens));
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static ILocator Input(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}
