using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The customer's tracking page on a 375 px phone: a real demo request's timeline, and one neutral message for a wrong phone.</summary>
[Collection("platform")]
public sealed class TrackingPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task Track_ShowsTheTimelineOnAPhone_AndNotFoundForAWrongPhone() => await RecordPages.WithBrowserAsync(async browser =>
    {
        var number = await platform.ScalarAsync("""
            select r.data->>'request_no' from records r join flow_instances i on i.record_id = r.id
            where r.app_key = 'after_sales' and r.entity_key = 'return_request' and i.status = 'completed' and r.data ? 'phone'
            order by r.created_at limit 1
            """);
        var phone = await platform.ScalarAsync("select data->>'phone' from records where entity_key = 'return_request' and data->>'request_no' = $1", number!);
        using var anonymous = platform.Anonymous();
        var api = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(anonymous, $"/api/public/track/{number}?phone={phone}"))!;
        var timeline = api["timeline"]!.AsArray();
        Assert.True(timeline.Count >= 3);

        var page = await browser.NewPageAsync(Browser.Phone(740));
        await page.GotoAsync(new Uri(platform.ServerAddress, $"/track?no={number}").ToString());
        await Assertions.Expect(page.Locator("[data-testid=track-number] input, input[data-testid=track-number]").First).ToHaveValueAsync(number!, new LocatorAssertionsToHaveValueOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=track-form]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        // Without a phone: the message sits under the phone input, and nothing is looked up.
        await page.Locator("[data-testid=track-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=track-phone-error]")).ToHaveTextAsync("请输入手机号");
        await Assertions.Expect(page.Locator("input[data-testid=track-phone]")).ToHaveAttributeAsync("aria-invalid", "true");
        // Both inputs say what goes in them.
        await Assertions.Expect(page.Locator("input[data-testid=track-phone]")).ToHaveAttributeAsync("placeholder", "提交时填写的手机号");
        await Assertions.Expect(page.Locator("[data-testid=track-number-error]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=track-result]")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "tracking-missing-phone");

        await page.Locator("[data-testid=track-phone] input, input[data-testid=track-phone]").First.FillAsync(phone!);
        await page.Locator("[data-testid=track-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=track-phone-error]")).ToHaveCountAsync(0);

        // Newest on top, the current status highlighted, one entry per public history line.
        var entries = page.Locator("[data-testid=track-entry]");
        await Assertions.Expect(entries).ToHaveCountAsync(timeline.Count);
        await Assertions.Expect(entries.First).ToHaveClassAsync("current");
        await Assertions.Expect(entries.First).ToContainTextAsync(timeline[^1]!["text"]!.GetValue<string>());
        await Assertions.Expect(entries.Last).ToContainTextAsync("已提交申请");
        await Assertions.Expect(page.Locator("[data-testid=track-status]")).ToHaveTextAsync(api["statusLabel"]?.GetValue<string>() ?? api["status"]!.GetValue<string>());
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll at 375 px");
        await Browser.ScreenshotAsync(page, "tracking");

        // A wrong phone: one neutral message, no timeline.
        await page.Locator("[data-testid=track-phone] input, input[data-testid=track-phone]").First.FillAsync("13900000000");
        await page.Locator("[data-testid=track-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=track-not-found]")).ToContainTextAsync("请核对单号和手机号");
        await Assertions.Expect(page.Locator("[data-testid=track-result]")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
    });
}
