using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>
/// The content security policy blocks nothing the UI needs: Blazor's circuit, MudBlazor, echarts on a dashboard, x6 in the
/// flow designer, the public form and tracking pages. Chromium reports each blocked load or inline script as a
/// <c>securitypolicyviolation</c> event; the test collects them on every page.
/// </summary>
[Collection("platform")]
public sealed class ContentSecurityPolicyPageTests(PlatformFixture platform)
{
    private const string Collect = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
        """;

    [Fact]
    public async Task Pages_RunWithoutPolicyViolations_UnderContentSecurityPolicy()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 }, Locale = "zh-CN" });
            await context.AddInitScriptAsync(Collect);
            var console = new List<string>();
            var page = await context.NewPageAsync();
            page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) console.Add(m.Text); };

            var response = await page.GotoAsync(Url("/login"));
            Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
            await page.FillAsync("#userName", "analyst");
            await page.FillAsync("#password", "demo1234");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await AssertNoViolationsAsync(page, console, "/");

            await page.GotoAsync(Url("/apps/after_sales/dashboards/after_sales_overview"));
            await Assertions.Expect(page.Locator("[data-rendered=true]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await AssertNoViolationsAsync(page, console, "dashboard (echarts)");

            await page.GotoAsync(Url("/design/apps/after_sales/flows/return_flow"));
            await Assertions.Expect(page.Locator("[data-testid=flow-canvas-host]")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-cell-id=cs_review]")).ToBeVisibleAsync();
            await AssertNoViolationsAsync(page, console, "flow designer (x6)");

            await page.GotoAsync(Url("/apps/after_sales/records/return_request"));
            await Assertions.Expect(page.Locator("[data-testid=filter-bar]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
            await AssertNoViolationsAsync(page, console, "record list");

            var anonymous = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
            await anonymous.AddInitScriptAsync(Collect);
            var customer = await anonymous.NewPageAsync();
            customer.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) console.Add(m.Text); };
            await customer.GotoAsync(Url($"/f/{await TokenAsync()}"));
            await FormDriver.WaitReadyAsync(customer);
            await AssertNoViolationsAsync(customer, console, "public form");

            await customer.GotoAsync(Url("/track"));
            await Assertions.Expect(customer.Locator("[data-testid=track-form]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
            await AssertNoViolationsAsync(customer, console, "tracking");

            // The detector itself: an image from another site is blocked and reported.
            await customer.EvaluateAsync("() => { const i = new Image(); i.src = 'https://example.invalid/x.png'; document.body.appendChild(i); }");
            await customer.WaitForFunctionAsync("() => window.__cspViolations.some(v => v.startsWith('img-src'))", null, new() { Timeout = 5_000 });
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, nameof(ContentSecurityPolicyPageTests));
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private string Url(string path) => new Uri(platform.ServerAddress, path).ToString();

    private static async Task AssertNoViolationsAsync(IPage page, List<string> console, string where)
    {
        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.True(violations.Length == 0 && console.Count == 0, $"{where}: {string.Join(" | ", violations.Concat(console))}");
    }

    private async Task<string> TokenAsync()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var links = (await analyst.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms"))!;
        return (string)links.Single(l => (string?)l!["form"] == "return_form")!["token"]!;
    }
}
