using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The generated create form of return_request in chromium: lookups fill in, formulas compute, conditions show fields, errors land on the right field, and the record is saved.</summary>
[Collection("platform")]
public sealed partial class RecordFormPageTests(PlatformFixture platform)
{
    [GeneratedRegex(@"/apps/after_sales/records/return_request/([0-9a-f-]{36})$")]
    private static partial Regex DetailUrl();

    [Fact]
    public async Task NewReturnRequest_FillsLookupsAndFormulas_ShowsErrorsOnFields_AndSaves_WhenFilledInAsCustomerService()
    {
        var order = await SingleItemOrderAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
            page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
            await SignInAsync(page, "cs01");
            await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/after_sales/records/return_request/new").ToString());
            await FormDriver.WaitReadyAsync(page);

            // Nothing conditional yet: the description only belongs to quality problems.
            await Assertions.Expect(FormDriver.Field(page, "description")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=value-request_no]")).ToContainTextAsync("保存后自动生成");

            // The order number lookup fills the purchase date and picks the order's only item with its price.
            await FormDriver.FillAsync(page, "order_no", order.OrderNo);
            await Assertions.Expect(page.Locator("[data-testid=value-purchased_at]")).ToHaveTextAsync(order.PurchasedAt);
            await Assertions.Expect(page.Locator("[data-testid=value-purchased_qty]")).ToHaveTextAsync(order.Quantity.ToString());
            await Assertions.Expect(FormDriver.Field(page, "product").Locator("input").First).ToHaveValueAsync(order.ProductName);

            await FormDriver.FillAsync(page, "customer_name", "王晓明");
            await FormDriver.FillAsync(page, "phone", "12345");
            await FormDriver.SelectAsync(page, "kind", "退货");
            await FormDriver.SelectAsync(page, "reason", "质量问题");

            // reason = quality: the description appears and is required.
            await Assertions.Expect(FormDriver.Field(page, "description")).ToHaveAttributeAsync("data-required", "true");
            await FormDriver.FillAsync(page, "quantity", "1");
            await Assertions.Expect(page.Locator("[data-testid=value-amount]")).ToHaveTextAsync(order.UnitPrice.ToString("N2", System.Globalization.CultureInfo.InvariantCulture));
            await FormDriver.FillAsync(page, "description", "压缩机异响，无法制冷");
            await FormDriver.SelectAsync(page, "reason", "发错货");
            await Assertions.Expect(FormDriver.Field(page, "description")).ToHaveCountAsync(0);
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Browser.ScreenshotAsync(page, "record-form");

            // The phone is wrong: the error sits on the phone field and nothing is sent.
            await page.ClickAsync("[data-testid=form-submit]");
            await Assertions.Expect(FormDriver.Field(page, "phone")).ToHaveAttributeAsync("data-error", "true");
            await Assertions.Expect(FormDriver.Field(page, "phone")).ToContainTextAsync("手机号须为以 1 开头的 11 位数字");
            await Assertions.Expect(page.Locator("[data-testid=form-errors]")).ToContainTextAsync("手机号");
            Assert.Equal(0, await platform.CountAsync("select count(*) from records where entity_key = 'return_request' and data->>'customer_name' = '王晓明'"));

            await FormDriver.FillAsync(page, "phone", "13800138000");
            await Assertions.Expect(FormDriver.Field(page, "phone")).ToHaveAttributeAsync("data-error", "false");
            await page.ClickAsync("[data-testid=form-submit]");
            await page.WaitForURLAsync(DetailUrl(), new PageWaitForURLOptions { Timeout = 20_000 });
            var id = DetailUrl().Match(page.Url).Groups[1].Value;

            using var client = await platform.ClientForAsync("cs01");
            var record = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/return_request/records/{id}"))!;
            var data = record["data"]!;
            Assert.Equal(order.OrderNo, (string?)data["order_no"]);
            Assert.Equal("13800138000", (string?)data["phone"]);
            Assert.Equal("王晓明", (string?)data["customer_name"]);
            Assert.Equal("wrong_item", (string?)data["reason"]);
            Assert.Equal(1, (int)data["quantity"]!);
            Assert.Equal(order.UnitPrice, (decimal)data["amount"]!);
            Assert.Null(data["description"]);
            Assert.StartsWith("RT", (string?)data["request_no"]);
            Assert.NotNull(record["flow"]);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "record-form");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", "demo1234");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=app-after_sales]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
    }

    /// <summary>A demo order with exactly one item, with the facts the lookup must bring.</summary>
    private async Task<(string OrderNo, string PurchasedAt, int Quantity, decimal UnitPrice, string ProductName)> SingleItemOrderAsync()
    {
        using var client = await platform.ClientForAsync("cs01");
        var orders = (await client.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/entities/sales_order/records?pageSize=200"))!["items"]!.AsArray();
        var order = orders.Select(o => o!["data"]!).Where(d => d["items"]!.AsArray().Count == 1).OrderByDescending(d => (int)d["items"]![0]!["quantity"]! > 1).First();
        var item = order["items"]![0]!;
        var product = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/product/records/{(string)item["product"]!}"))!;
        return ((string)order["order_no"]!, (string)order["purchased_at"]!, (int)item["quantity"]!, (decimal)item["unit_price"]!, (string)product["data"]!["name"]!);
    }
}
