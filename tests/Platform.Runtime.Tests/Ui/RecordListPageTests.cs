using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The record list against the records API: the same filter, sort and page give the same records.</summary>
[Collection("platform")]
public sealed class RecordListPageTests(PlatformFixture platform)
{
    private const string Api = "/api/apps/after_sales/entities/return_request/records";

    [Fact]
    public async Task RecordList_ShowsWhatTheApiReturns_WhenFilteredSortedAndPaged() => await RecordPages.WithBrowserAsync(async browser =>
    {
        var page = await RecordPages.SignInAsync(browser, platform, "cs01");

        // App home: entities with counts, each linking to its list.
        await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/after_sales").ToString());
        var all = await RecordPages.GetAsync(platform, "cs01", $"{Api}?pageSize=1");
        await Assertions.Expect(page.Locator("[data-testid=count-return_request]")).ToHaveTextAsync(all["total"]!.GetValue<long>().ToString("N0"));
        await Browser.ScreenshotAsync(page, "app-home");
        await page.Locator("[data-testid=entity-return_request]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/apps/after_sales/records/return_request$"));
        await Assertions.Expect(page.Locator("[data-testid=list-total]")).ToContainTextAsync(all["total"]!.GetValue<long>().ToString("N0"));
        await Assertions.Expect(page.Locator("[data-testid=filter-bar]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        Assert.Equal(Ids(await RecordPages.GetAsync(platform, "cs01", $"{Api}?pageSize=20")), await RecordPages.RowIdsAsync(page));

        // A select filter: reason = 质量问题.
        await RecordPages.PickAsync(page, "filter-field", "原因");
        await RecordPages.PickAsync(page, "filter-value", "质量问题");
        await page.Locator("[data-testid=filter-add]").ClickAsync();
        var quality = await RecordPages.GetAsync(platform, "cs01", $"{Api}?filter=reason:eq:quality&pageSize=20");
        var qualityTotal = quality["total"]!.GetValue<long>();
        Assert.True(qualityTotal > 20 && qualityTotal < all["total"]!.GetValue<long>(), $"the demo data should have a page and more of quality returns, not {qualityTotal}");
        await Assertions.Expect(page.Locator("[data-testid=list-total]")).ToContainTextAsync($"共 {qualityTotal:N0} 条");
        await Assertions.Expect(page.Locator("[data-testid=filter-chip]")).ToContainTextAsync("原因 等于 质量问题");
        await Assertions.Expect(page.Locator("[data-testid=filter-bar]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        Assert.Equal(Ids(quality), await RecordPages.RowIdsAsync(page));

        // Sort by the request number by clicking its header: ascending, then descending.
        await page.Locator("[data-testid=sort-request_no]").ClickAsync();
        var ascending = Ids(await RecordPages.GetAsync(platform, "cs01", $"{Api}?filter=reason:eq:quality&sort=request_no&pageSize=20"));
        await Assertions.Expect(page.Locator("[data-testid=record-row]").First).ToHaveAttributeAsync("data-id", ascending[0]);
        Assert.Equal(ascending, await RecordPages.RowIdsAsync(page));
        await page.Locator("[data-testid=sort-request_no]").ClickAsync();
        var descending = Ids(await RecordPages.GetAsync(platform, "cs01", $"{Api}?filter=reason:eq:quality&sort=-request_no&pageSize=20"));
        await Assertions.Expect(page.Locator("[data-testid=record-row]").First).ToHaveAttributeAsync("data-id", descending[0]);
        Assert.NotEqual(ascending[0], descending[0]);

        // Page 2 is the API's page 2.
        await page.Locator("[data-testid=pager] button").Filter(new LocatorFilterOptions { HasTextRegex = new Regex(@"^\s*2\s*$") }).First.ClickAsync();
        var second = Ids(await RecordPages.GetAsync(platform, "cs01", $"{Api}?filter=reason:eq:quality&sort=-request_no&page=2&pageSize=20"));
        await Assertions.Expect(page.Locator("[data-testid=record-row]").First).ToHaveAttributeAsync("data-id", second[0]);
        Assert.Equal(second, await RecordPages.RowIdsAsync(page));
        await Assertions.Expect(page.Locator("[data-testid=page-range]")).ToContainTextAsync($"21–{Math.Min(40, qualityTotal)}");

        // The address holds the list's state: a reload shows the same page.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=record-row]").First).ToHaveAttributeAsync("data-id", second[0], new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=filter-chip]")).ToContainTextAsync("原因 等于 质量问题");
        await Assertions.Expect(page.Locator("[data-testid=filter-bar]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });

        // The export link carries the same filter and sort.
        var export = await page.Locator("[data-testid=export-csv]").GetAttributeAsync("href");
        Assert.Contains("filter=reason%3Aeq%3Aquality", export);
        Assert.Contains("sort=-request_no", export);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Browser.ScreenshotAsync(page, "record-list", fullPage: false);

        // A number filter narrows further, as the API does.
        await RecordPages.PickAsync(page, "filter-field", "退换数量");
        await RecordPages.PickAsync(page, "filter-op", "大于等于");
        await page.Locator("[data-testid=filter-value] input").FillAsync("2");
        await page.Locator("[data-testid=filter-add]").ClickAsync();
        var both = await RecordPages.GetAsync(platform, "cs01", $"{Api}?filter=reason:eq:quality&filter=quantity:ge:2&sort=-request_no&pageSize=20");
        await Assertions.Expect(page.Locator("[data-testid=list-total]")).ToContainTextAsync($"共 {both["total"]!.GetValue<long>():N0} 条");
        Assert.Equal(Ids(both), await RecordPages.RowIdsAsync(page));

        // A row opens the record's detail.
        var first = (await RecordPages.RowIdsAsync(page))[0];
        await page.Locator("[data-testid=record-row]").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/apps/after_sales/records/return_request/{first}$"));
    });

    [Fact]
    public async Task RecordList_RemembersChosenColumns_WhenReopened() => await RecordPages.WithBrowserAsync(async browser =>
    {
        var page = await RecordPages.SignInAsync(browser, platform, "sup01");
        await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/after_sales/records/service_request").ToString());
        await Assertions.Expect(page.Locator("[data-testid=filter-bar]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=header-type]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=header-updatedAt]")).ToHaveCountAsync(0);

        await page.Locator("[data-testid=column-chooser] button").First.ClickAsync();
        await page.Locator("[data-testid=column-type]").ClickAsync();
        await page.Locator("[data-testid=column-updatedAt]").ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("[data-testid=header-type]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=header-updatedAt]")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=filter-bar]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=header-updatedAt]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=header-type]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=record-row]").First).ToBeVisibleAsync();
    });

    private static List<string> Ids(JsonObject list) => list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
}
