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
    /// <summary>A 24×24 red PNG.</summary>
    private static readonly byte[] Photo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAH0lEQVR42mO4Y2NDFcQwatCoQaMGjRo0atCoQQNvEADETf0fDf9fSAAAAABJRU5ErkJggg==");

    [GeneratedRegex(@"/apps/after_sales/records/return_request/([0-9a-f-]{36})$")]
    private static partial Regex DetailUrl();

    [GeneratedRegex(@"/apps/after_sales/records/sales_order/([0-9a-f-]{36})$")]
    private static partial Regex OrderDetailUrl();

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
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Browser.ScreenshotAsync(page, "record-form");

            // Another reason hides the description; back to quality it returns with what was typed, and a photo is required.
            await FormDriver.SelectAsync(page, "reason", "发错货");
            await Assertions.Expect(FormDriver.Field(page, "description")).ToHaveCountAsync(0);
            await FormDriver.SelectAsync(page, "reason", "质量问题");
            await Assertions.Expect(FormDriver.Field(page, "description").Locator("textarea").First).ToHaveValueAsync("压缩机异响，无法制冷");
            await Assertions.Expect(FormDriver.Field(page, "images")).ToHaveAttributeAsync("data-required", "true");
            await page.Locator("[data-testid=file-input-images]").SetInputFilesAsync(new FilePayload { Name = "noise.png", MimeType = "image/png", Buffer = Photo });
            await Assertions.Expect(page.Locator("[data-testid=upload-images]")).ToHaveAttributeAsync("data-files", "1", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=upload-images] img")).ToHaveJSPropertyAsync("naturalWidth", 24);

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
            Assert.Equal("quality", (string?)data["reason"]);
            Assert.Equal(1, (int)data["quantity"]!);
            Assert.Equal(order.UnitPrice, (decimal)data["amount"]!);
            Assert.Equal("压缩机异响，无法制冷", (string?)data["description"]);
            Assert.Single(data["images"]!.AsArray());
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

    [Fact]
    public async Task NewSalesOrder_PicksReferencesAndComputesRowFormulas_WhenRowsAreAddedAndRemoved()
    {
        using var client = await platform.ClientForAsync("cs01");
        var customer = (await client.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/entities/customer/records?pageSize=1&sort=name"))!["items"]![0]!;
        var products = (await client.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/entities/product/records?pageSize=2&sort=name"))!["items"]!.AsArray();
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
            page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
            await SignInAsync(page, "cs01");
            await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/after_sales/records/sales_order/new").ToString());
            await FormDriver.WaitReadyAsync(page);

            var orderNo = "SO-UI-" + Guid.NewGuid().ToString("N")[..8];
            await FormDriver.FillAsync(page, "order_no", orderNo);
            var customerName = (string)customer["data"]!["name"]!;
            await FormDriver.PickAsync(FormDriver.Field(page, "customer"), customerName[..1], customerName);
            await FormDriver.FillAsync(page, "purchased_at", "2026-11-28");

            // One row to start with (minRows 1); a second is added, a third added and removed again.
            await Assertions.Expect(page.Locator("[data-testid=subtable-items]")).ToHaveAttributeAsync("data-rows", "1");
            await page.ClickAsync("[data-testid=add-items]");
            await page.ClickAsync("[data-testid=add-items]");
            await Assertions.Expect(page.Locator("[data-testid=subtable-items]")).ToHaveAttributeAsync("data-rows", "3");
            await page.ClickAsync("[data-testid=remove-items-2]");
            await Assertions.Expect(page.Locator("[data-testid=subtable-items]")).ToHaveAttributeAsync("data-rows", "2");

            for (var i = 0; i < 2; i++)
            {
                var name = (string)products[i]!["data"]!["name"]!;
                await FormDriver.PickAsync(FormDriver.Field(page, $"items[{i}].product"), name[..2], name);
                await FormDriver.FillAsync(page, $"items[{i}].quantity", (i + 2).ToString());
                await FormDriver.FillAsync(page, $"items[{i}].unit_price", i == 0 ? "10.5" : "100");
            }

            await Assertions.Expect(page.Locator("[data-testid='value-items[0].amount']")).ToHaveTextAsync("21.00");
            await Assertions.Expect(page.Locator("[data-testid='value-items[1].amount']")).ToHaveTextAsync("300.00");
            await Assertions.Expect(page.Locator("[data-testid=value-total_amount]")).ToHaveTextAsync("321.00");
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Browser.ScreenshotAsync(page, "record-form-subtable");

            await page.ClickAsync("[data-testid=form-submit]");
            await page.WaitForURLAsync(OrderDetailUrl(), new PageWaitForURLOptions { Timeout = 20_000 });
            var id = OrderDetailUrl().Match(page.Url).Groups[1].Value;
            var data = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/sales_order/records/{id}"))!["data"]!;
            Assert.Equal(orderNo, (string?)data["order_no"]);
            // Picked by the name shown in the picker (other tests may add records of the same name): compare names.
            var picked = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/customer/records/{data["customer"]}"))!["data"]!;
            Assert.Equal(customerName, (string?)picked["name"]);
            Assert.Equal(2, data["items"]!.AsArray().Count);
            var pickedProduct = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/product/records/{data["items"]![1]!["product"]}"))!["data"]!;
            Assert.Equal((string?)products[1]!["data"]!["name"], (string?)pickedProduct["name"]);
            Assert.Equal(321m, (decimal)data["total_amount"]!);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "record-form-subtable");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task EditReturnRequest_ShowsTheConflictAndReloads_WhenSomeoneElseSavedMeanwhile()
    {
        using var client = await platform.ClientForAsync("cs01");
        var order = await SingleItemOrderAsync();
        var created = await client.PostAsJsonAsync("/api/apps/after_sales/entities/return_request/records", new
        {
            data = new { order_no = order.OrderNo, customer_name = "赵先生", phone = "13600000001", kind = "return", reason = "wrong_item", quantity = 1 },
        });
        created.EnsureSuccessStatusCode();
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
            page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
            await SignInAsync(page, "cs01");
            await page.GotoAsync(new Uri(platform.ServerAddress, $"/apps/after_sales/records/return_request/{id}/edit").ToString());
            await FormDriver.WaitReadyAsync(page);
            await Assertions.Expect(FormDriver.Field(page, "customer_name").Locator("input").First).ToHaveValueAsync("赵先生");
            await Assertions.Expect(page.Locator("[data-testid=value-request_no]")).ToContainTextAsync("RT");

            // Someone else changes the phone while the form is open.
            var current = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/return_request/records/{id}"))!;
            using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/apps/after_sales/entities/return_request/records/{id}")
            {
                Content = JsonContent.Create(new { data = new { phone = "13600000002" } }),
            })
            {
                patch.Headers.TryAddWithoutValidation("If-Match", $"\"{(int)current["version"]!}\"");
                (await client.SendAsync(patch)).EnsureSuccessStatusCode();
            }

            await FormDriver.FillAsync(page, "customer_name", "赵建国");
            await page.ClickAsync("[data-testid=form-submit]");
            await Assertions.Expect(page.Locator("[data-testid=form-message]")).ToContainTextAsync("已被他人修改");
            Assert.Equal("赵先生", (string?)(await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/return_request/records/{id}"))!["data"]!["customer_name"]);

            await page.ClickAsync("[data-testid=form-reload]");
            await Assertions.Expect(FormDriver.Field(page, "phone").Locator("input").First).ToHaveValueAsync("13600000002");
            await FormDriver.FillAsync(page, "customer_name", "赵建国");
            await page.ClickAsync("[data-testid=form-submit]");
            await page.WaitForURLAsync(DetailUrl(), new PageWaitForURLOptions { Timeout = 20_000 });

            var saved = (await client.GetFromJsonAsync<JsonObject>($"/api/apps/after_sales/entities/return_request/records/{id}"))!;
            Assert.Equal("赵建国", (string?)saved["data"]!["customer_name"]);
            Assert.Equal("13600000002", (string?)saved["data"]!["phone"]);
            Assert.Equal((int)current["version"]! + 2, (int)saved["version"]!);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "record-form-edit");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task NewEngineer_SavesTickedSkillsAndNativeChoices_AfterAskingForTheRequiredOnes()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
            await SignInAsync(page, "sup01");
            await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/after_sales/records/engineer/new").ToString());
            await FormDriver.WaitReadyAsync(page);
            var userField = FormDriver.Field(page, "user_name");
            await Assertions.Expect(userField.Locator("[data-testid=user-picker-idle]")).ToHaveCountAsync(1);
            Assert.Equal(0, await userField.Locator(".mud-autocomplete").CountAsync());
            var name = "界面工程师" + Guid.NewGuid().ToString("N")[..6];
            await FormDriver.FillAsync(page, "name", name);
            await FormDriver.FillAsync(page, "phone", "13800001234");

            // Nothing ticked yet: the required skills and region are asked for, and nothing is written.
            await page.ClickAsync("[data-testid=form-submit]");
            await Assertions.Expect(FormDriver.Field(page, "skills")).ToHaveAttributeAsync("data-error", "true");
            await Assertions.Expect(FormDriver.Field(page, "region")).ToHaveAttributeAsync("data-error", "true");
            Assert.Equal(0, await platform.CountAsync("select count(*) from records where entity_key = 'engineer' and data->>'name' = $1", name));

            await FormDriver.SelectAsync(page, "region", "华南");

            // The user picker (markup until first focused, checked above; the Tab out of the phone focused it) searches and picks.
            await userField.Locator("input").First.ClickAsync();
            await Assertions.Expect(userField.Locator(".mud-autocomplete input")).ToBeFocusedAsync();
            await userField.Locator(".mud-autocomplete input").FillAsync("张建国");
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextString = "sup01" }).First.ClickAsync();
            await Assertions.Expect(userField.Locator("input").First).ToHaveValueAsync(new Regex("（sup01）$"));
            await page.ClickAsync(".rf-section-title"); // as a person would: away from the user picker, whose list opens on focus
            await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
            await page.ClickAsync("[data-testid=check-skills-installation]");
            await page.ClickAsync("[data-testid=check-skills-kitchen]");
            await page.ClickAsync("[data-testid=check-skills-laundry]");
            await page.ClickAsync("[data-testid=check-skills-kitchen]");
            await Assertions.Expect(page.Locator("[data-testid=check-skills-kitchen] input")).Not.ToBeCheckedAsync();
            await Assertions.Expect(FormDriver.Field(page, "skills")).ToHaveAttributeAsync("data-error", "false");
            await Browser.ScreenshotAsync(page, "record-form-choices", fullPage: false);
            await page.ClickAsync("[data-testid=form-submit]");
            await page.WaitForURLAsync(new Regex("/records/engineer/[0-9a-f-]{36}$"), new PageWaitForURLOptions { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });

            Assert.Equal(1, await platform.CountAsync(
                """
                select count(*) from records where entity_key = 'engineer' and data->>'name' = $1 and data->>'region' = 'south'
                  and data->'skills' = '["installation","laundry"]'::jsonb and data->>'user_name' = 'sup01'
                """, name));
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "record-form-choices");
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
