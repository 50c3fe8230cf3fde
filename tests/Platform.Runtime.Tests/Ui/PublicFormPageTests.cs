using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The public return form on a 375 px phone: errors on the required fields, a photo upload, the tracking number, and no sideways scrolling.</summary>
[Collection("platform")]
public sealed partial class PublicFormPageTests(PlatformFixture platform)
{
    private const int Width = 375;

    /// <summary>A 24×24 red PNG.</summary>
    private static readonly byte[] Photo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAH0lEQVR42mO4Y2NDFcQwatCoQaMGjRo0atCoQQNvEADETf0fDf9fSAAAAABJRU5ErkJggg==");

    [GeneratedRegex(@"^RT\d{8}\d{4}$")]
    private static partial Regex RequestNo();

    [Fact]
    public async Task ReturnForm_ShowsErrorsOnRequiredFields_ThenSubmitsWithAPhotoAndShowsTheTrackingNumber_OnAPhone()
    {
        var token = await TokenAsync("return_form");
        var orderNo = await SingleItemOrderNoAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions
            {
                ViewportSize = new ViewportSize { Width = Width, Height = 812 },
                DeviceScaleFactor = 2,
                IsMobile = true,
                HasTouch = true,
                Locale = "zh-CN",
                UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47",
            });
            page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
            var response = await page.GotoAsync(new Uri(platform.ServerAddress, $"/f/{token}").ToString());
            Assert.Equal(200, response!.Status);
            await FormDriver.WaitReadyAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=public-form-head]")).ToContainTextAsync("退换货申请");
            await Assertions.Expect(page.Locator(".mud-appbar")).ToHaveCountAsync(0);
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));

            // The title takes focus on navigation, without drawing a focus ring around it on the customer's phone.
            Assert.Equal("none", await page.EvaluateAsync<string>("() => { const h = document.querySelector('h1'); h.setAttribute('tabindex', '-1'); h.focus(); return getComputedStyle(h).outlineStyle; }"));

            // Empty: every required field of the form says what is missing, and nothing is created.
            var before = await platform.CountAsync("select count(*) from records where entity_key = 'return_request'");
            await page.ClickAsync("[data-testid=form-submit]");
            foreach (var required in new[] { "order_no", "customer_name", "phone", "kind", "reason", "quantity" })
            {
                await Assertions.Expect(FormDriver.Field(page, required)).ToHaveAttributeAsync("data-error", "true");
            }

            await Assertions.Expect(FormDriver.Field(page, "phone")).ToContainTextAsync("请填写手机号");
            await Assertions.Expect(page.Locator("[data-testid=form-errors]")).ToContainTextAsync("订单号");
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));
            Assert.Equal(before, await platform.CountAsync("select count(*) from records where entity_key = 'return_request'"));

            await FormDriver.FillAsync(page, "order_no", orderNo);
            await Assertions.Expect(FormDriver.Field(page, "order_no")).ToHaveAttributeAsync("data-error", "false");
            await Assertions.Expect(FormDriver.Field(page, "product")).ToHaveAttributeAsync("data-error", "false");
            await FormDriver.FillAsync(page, "customer_name", "李女士");
            await FormDriver.FillAsync(page, "phone", "13912345678");
            await FormDriver.SelectAsync(page, "kind", "换货");
            await FormDriver.SelectAsync(page, "reason", "质量问题");
            await Assertions.Expect(FormDriver.Field(page, "images")).ToHaveAttributeAsync("data-required", "true");
            await FormDriver.FillAsync(page, "description", "收到后发现门封条开裂");
            await page.Locator("[data-testid=file-input-images]").SetInputFilesAsync(new FilePayload { Name = "crack.png", MimeType = "image/png", Buffer = Photo });
            await Assertions.Expect(page.Locator("[data-testid=upload-images]")).ToHaveAttributeAsync("data-files", "1", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=upload-images] img")).ToHaveJSPropertyAsync("naturalWidth", 24);
            await FormDriver.FillAsync(page, "quantity", "1");
            await Assertions.Expect(FormDriver.Field(page, "quantity")).ToHaveAttributeAsync("data-error", "false");
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Browser.ScreenshotAsync(page, "public-form");

            await page.ClickAsync("[data-testid=form-submit]");
            var number = page.Locator("[data-testid=tracking-no]");
            await Assertions.Expect(number).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            var trackingNo = (await number.InnerTextAsync()).Trim();
            Assert.Matches(RequestNo(), trackingNo);
            await Assertions.Expect(page.Locator("[data-testid=track-link]")).ToHaveAttributeAsync("href", $"track?no={trackingNo}");
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));
            await Browser.ScreenshotAsync(page, "public-form-success");

            using var client = await platform.ClientForAsync("cs01");
            var found = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/return_request/records?filter=request_no:eq:{trackingNo}"))!;
            var data = found["items"]!.AsArray().Single()!["data"]!;
            Assert.Equal(orderNo, (string?)data["order_no"]);
            Assert.Equal("13912345678", (string?)data["phone"]);
            Assert.Equal("exchange", (string?)data["kind"]);
            Assert.Equal("quality", (string?)data["reason"]);
            Assert.Equal("收到后发现门封条开裂", (string?)data["description"]);
            Assert.Single(data["images"]!.AsArray());
            Assert.NotNull(data["product"]);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "public-form");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task UnknownToken_ShowsAFriendlyNotAvailablePage_With404()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = Width, Height = 812 }, IsMobile = true, Locale = "zh-CN" });
            var response = await page.GotoAsync(new Uri(platform.ServerAddress, "/f/no-such-link-0000").ToString());

            Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
            await Assertions.Expect(page.Locator("[data-testid=public-unavailable]")).ToContainTextAsync("此表单暂不可用");
            await Assertions.Expect(page.Locator("[data-testid=record-form]")).ToHaveCountAsync(0);
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private async Task<string> TokenAsync(string form)
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var links = (await analyst.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms"))!;
        return (string)links.Single(l => (string?)l!["form"] == form)!["token"]!;
    }

    private async Task<string> SingleItemOrderNoAsync()
    {
        using var client = await platform.ClientForAsync("cs01");
        var orders = (await client.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/entities/sales_order/records?pageSize=200&sort=-purchased_at"))!["items"]!.AsArray();
        return (string)orders.Select(o => o!["data"]!).First(d => d["items"]!.AsArray().Count == 1)["order_no"]!;
    }
}
