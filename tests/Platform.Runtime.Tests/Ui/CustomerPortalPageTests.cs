using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Customers;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>
/// The customer self-service on a 375 px phone: from /track to /my, phone → SMS code (read from the outbox, as an
/// administrator would in local mode) → the phone's requests with status chips → one request's timeline, still signed
/// in after a reload; and a signed tracking link opening one timeline, a tampered one a neutral 404 page.
/// </summary>
[Collection("platform")]
public sealed class CustomerPortalPageTests(PlatformFixture platform)
{
    private static readonly BrowserNewPageOptions Phone = Browser.Phone(740);

    /// <summary>
    /// Runs the test in a browser with 15 s instead of 5 s for each expectation (a code send or a circuit start can be slow
    /// on a loaded machine), then puts Playwright's default back for the other tests of the collection.
    /// </summary>
    private static async Task PatientlyAsync(Func<IBrowser, Task> test)
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        try
        {
            await RecordPages.WithBrowserAsync(test);
        }
        finally
        {
            Assertions.SetDefaultExpectTimeout(5_000);
        }
    }

    private static ILocator Input(IPage page, string testId) => page.Locator($"[data-testid={testId}] input, input[data-testid={testId}]").First;

    private static async Task<bool> NoHorizontalScrollAsync(IPage page) => await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    /// <summary>
    /// A demo customer's phone (a demo record, not one other tests made today, with a short history and no codes sent yet)
    /// with a completed return (a full timeline) and, for a longer list, a fresh service request.
    /// </summary>
    private async Task<(string Phone, string ReturnNo, Guid ReturnId)> CustomerAsync()
    {
        var number = await platform.ScalarAsync("""
            select r.data->>'request_no' from records r join flow_instances i on i.record_id = r.id
            where r.app_key = 'after_sales' and r.entity_key = 'return_request' and i.status = 'completed' and r.data ? 'phone'
              and r.created_at < now() - interval '1 day'
              and (select count(*) from records o where o.app_key = 'after_sales' and o.data->>'phone' = r.data->>'phone') between 2 and 12
              and not exists (select 1 from customer_codes c where c.phone = r.data->>'phone')
            order by r.created_at desc limit 1
            """);
        var phone = (await platform.ScalarAsync("select data->>'phone' from records where entity_key = 'return_request' and data->>'request_no' = $1", number!))!;
        var id = Guid.Parse((await platform.ScalarAsync("select id from records where entity_key = 'return_request' and data->>'request_no' = $1", number!))!);
        await CustomerKit.CreateServiceRequestAsync(platform, phone, "repair", "燃气灶打不着火");
        return (phone, number!, id);
    }

    [Fact]
    public async Task MyRequests_SignsInWithAnSmsCode_ListsThePhonesRequests_ShowsOnesTimeline_AndSwitchesPhoneAfterSignOut() => await PatientlyAsync(async browser =>
    {
        var (phone, returnNo, _) = await CustomerAsync();
        var expected = await platform.CountAsync(
            "select count(*) from records where app_key = 'after_sales' and entity_key in ('return_request', 'service_request') and data->>'phone' = $1", phone);
        var page = await browser.NewPageAsync(Phone);
        page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
        try
        {
            await page.GotoAsync(new Uri(platform.ServerAddress, "/track").ToString());
            await Assertions.Expect(page.Locator("[data-testid=track-form]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
            await page.Locator("[data-testid=track-my-link]").ClickAsync();
            await page.WaitForURLAsync("**/my");

            // Followed inside the circuit, /my loads itself once for real (the prerender reads cookie and address); apps
            // copied from the template by other tests have portals too, and then the customer picks the service first.
            // Only the interactive page counts: the prerender may have listed fewer portals than exist a moment later.
            var landed = page.Locator("[data-testid=my-page][data-interactive=true] :is([data-testid=my-sign-in], [data-testid=my-choose])");
            await Assertions.Expect(landed.First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
            if (await page.Locator("[data-testid=my-choose]").CountAsync() > 0)
            {
                // The choice is a button of the interactive page: a click on the prerendered one would do nothing.
                await Assertions.Expect(page.Locator("[data-testid=my-page]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
                await page.Locator("[data-testid=my-app-after_sales]").ClickAsync();
                await page.WaitForURLAsync("**/my?app=after_sales");
            }
            else
            {
                // Pinned to the app, so that the reloads below land on this portal even if other tests add portals meanwhile.
                await page.GotoAsync(new Uri(platform.ServerAddress, "/my?app=after_sales").ToString());
            }

            await Assertions.Expect(page.Locator("[data-testid=my-page]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=my-sign-in]")).ToBeVisibleAsync();

            // A bad phone is named before anything is sent.
            await Input(page, "my-phone").FillAsync("12345");
            await page.Locator("[data-testid=my-send-code]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=my-sign-in]")).ToContainTextAsync("请输入 11 位手机号");

            await Input(page, "my-phone").FillAsync(phone);
            await page.Locator("[data-testid=my-send-code]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=my-code-sent]")).ToContainTextAsync(phone[..3] + "****" + phone[^4..]);
            var send = page.Locator("[data-testid=my-send-code]");
            await Assertions.Expect(send).ToBeDisabledAsync();
            await Assertions.Expect(send).ToContainTextAsync("秒后重发");
            var countdown = int.Parse((await send.GetAttributeAsync("data-countdown"))!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(countdown, 50, 60);
            Assert.True(await NoHorizontalScrollAsync(page), "no horizontal scroll at 375 px (sign-in)");
            await Browser.ScreenshotAsync(page, "customer-my-sign-in");

            // A wrong code: one neutral message; then the code from the outbox.
            var code = await CustomerKit.CodeAsync(platform, phone);
            await Input(page, "my-code").FillAsync(code == "000000" ? "111111" : "000000");
            await page.Locator("[data-testid=my-verify]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=my-sign-in]")).ToContainTextAsync("验证码错误或已失效");
            await Input(page, "my-code").FillAsync(code);
            await page.Locator("[data-testid=my-verify]").ClickAsync();

            var items = page.Locator("[data-testid=my-request]");
            await Assertions.Expect(items).ToHaveCountAsync((int)expected, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=my-phone-shown]")).ToContainTextAsync($"共 {expected} 条");
            await Assertions.Expect(items.First).ToContainTextAsync("服务工单 · 维修");
            await Assertions.Expect(items.First.Locator("[data-testid=my-status]")).ToHaveTextAsync("新建");
            await Assertions.Expect(page.Locator($"[data-testid=my-request][data-number='{returnNo}']")).ToHaveCountAsync(1);

            // The card names what the request is about: the portal's summary field, a product reference by the product's name.
            var product = await platform.ScalarAsync("""
                select p.data->>'name' from records r join records p on p.id::text = r.data->>'product'
                where r.entity_key = 'return_request' and r.data->>'request_no' = $1
                """, returnNo);
            Assert.False(string.IsNullOrEmpty(product));
            await Assertions.Expect(page.Locator($"[data-testid=my-request][data-number='{returnNo}'] [data-testid=my-summary]")).ToHaveTextAsync(product!);
            Assert.True(await NoHorizontalScrollAsync(page), "no horizontal scroll at 375 px (list)");
            await Browser.ScreenshotAsync(page, "customer-my-requests");

            // Tap the completed return: its timeline, newest on top.
            await page.Locator($"[data-testid=my-request][data-number='{returnNo}']").ClickAsync();
            var detail = page.Locator("[data-testid=customer-request-detail]");
            await Assertions.Expect(detail).ToHaveAttributeAsync("data-number", returnNo);
            var entries = page.Locator("[data-testid=detail-entry]");
            Assert.True(await entries.CountAsync() >= 3);
            await Assertions.Expect(entries.First).ToHaveClassAsync("current");
            await Assertions.Expect(entries.Last).ToContainTextAsync("已提交申请");
            await Assertions.Expect(page.Locator("[data-testid=detail-fields]")).ToContainTextAsync("订单号");
            Assert.True(await NoHorizontalScrollAsync(page), "no horizontal scroll at 375 px (detail)");
            await Browser.ScreenshotAsync(page, "customer-my-request-detail");
            await page.Locator("[data-testid=my-back]").ClickAsync();
            await Assertions.Expect(items).ToHaveCountAsync((int)expected);

            // The HttpOnly cookie keeps the customer verified across a reload; signing out forgets it.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=my-page]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
            await Assertions.Expect(items).ToHaveCountAsync((int)expected);
            var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == CustomerSessions.CookieName);
            Assert.True(cookie.HttpOnly);
            await page.Locator("[data-testid=my-sign-out]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=my-sign-in]")).ToBeVisibleAsync();
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=my-sign-in]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });

            // Another phone in the same browser (a family member's): after 退出 it signs in cleanly and sees only its own.
            var other = CustomerKit.NewPhone();
            var theirs = await CustomerKit.CreateServiceRequestAsync(platform, other, "install", "新空调安装");
            await Assertions.Expect(page.Locator("[data-testid=my-page]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
            await Input(page, "my-phone").FillAsync(other);
            await page.Locator("[data-testid=my-send-code]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=my-code-sent]")).ToContainTextAsync(other[..3] + "****" + other[^4..]);
            await Input(page, "my-code").FillAsync(await CustomerKit.CodeAsync(platform, other));
            await page.Locator("[data-testid=my-verify]").ClickAsync();
            await Assertions.Expect(items).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator($"[data-testid=my-request][data-number='{theirs["data"]!["ticket_no"]!.GetValue<string>()}']")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator($"[data-testid=my-request][data-number='{returnNo}']")).ToHaveCountAsync(0);
            await page.ReloadAsync();
            await Assertions.Expect(items).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "customer-my");
            throw;
        }
    });

    [Fact]
    public async Task TrackingLink_ShowsOneRequestsTimelineOnAPhone_AndANeutral404ForATamperedLink() => await PatientlyAsync(async browser =>
    {
        var (_, returnNo, id) = await CustomerAsync();
        var app = (await platform.Factory.Services.GetRequiredService<AppCatalog>().GetAsync(CustomerKit.App, CancellationToken.None))!;
        var link = (await platform.Factory.Services.GetRequiredService<TrackingLinks>().CreateAsync(app, "return_request", id, CancellationToken.None))!;
        using var anonymous = platform.Anonymous();
        var api = (await anonymous.GetFromJsonAsync<JsonObject>("/api/public/links/" + link[(link.LastIndexOf('/') + 1)..]))!;

        var page = await browser.NewPageAsync(Phone);
        try
        {
            var response = await page.GotoAsync(link);
            Assert.Equal(200, response!.Status);
            var view = page.Locator("[data-testid=link-view]");
            await Assertions.Expect(view).ToContainTextAsync(returnNo, new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=detail-entry]")).ToHaveCountAsync(api["timeline"]!.AsArray().Count);
            await Assertions.Expect(page.Locator("[data-testid=detail-status]")).ToHaveTextAsync(api["statusLabel"]!.GetValue<string>());
            await Assertions.Expect(view).ToContainTextAsync("退换货申请");
            Assert.True(await NoHorizontalScrollAsync(page), "no horizontal scroll at 375 px (link)");
            await Browser.ScreenshotAsync(page, "customer-tracking-link");

            var token = link[(link.LastIndexOf('/') + 1)..];
            var tampered = token[..20] + (token[20] == 'Q' ? 'R' : 'Q') + token[21..];
            var bad = await page.GotoAsync(new Uri(platform.ServerAddress, "/t/" + tampered).ToString());
            Assert.Equal(404, bad!.Status);
            await Assertions.Expect(page.Locator("[data-testid=link-invalid]")).ToContainTextAsync("链接无效或已过期");
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync(returnNo);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "customer-link");
            throw;
        }
    });
}
