using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;
using static Platform.Runtime.Tests.Scenarios.AfterSalesScenario;

namespace Platform.Runtime.Tests.Ui;

/// <summary>
/// The CSAT survey a closed request's SMS links to, on a 375 px phone without signing in: the request's number shown,
/// rating (a row of five stars), first-time fix and comment, a thank-you after submitting that leads on to the request's timeline, and "already answered" when the link is opened again.
/// </summary>
[Collection("platform")]
public sealed partial class FeedbackFormPageTests(PlatformFixture platform)
{
    private const int Width = 375;

    [GeneratedRegex(@"https?://[^/\s]+(?<path>/f/[A-Za-z0-9_-]{55})")]
    private static partial Regex FormLink();

    [Fact]
    public async Task FeedbackLink_TakesAStarRatingFirstTimeFixAndComment_ThenThanks_AndSaysAlreadyAnsweredOnReopen_OnAPhone()
    {
        var phone = NewPhone();
        string ticketId, ticketNo;
        using (var cs = await platform.ClientForAsync("cs01"))
        {
            var ticket = await CreateTicketAsync(cs, "consult", "south", null, phone);
            (ticketId, ticketNo) = (Id(ticket), Text(ticket, "ticket_no")!);
            await ActAsync(cs, ticketId, "accept");
            await ActAsync(cs, ticketId, "follow_up");
        }

        var sms = await platform.ScalarAsync<string>("select payload->>'text' from outbox where kind = 'sms' and payload->>'to' = $1 and payload->>'text' like '%打分%'", phone);
        var path = FormLink().Match(sms).Groups["path"].Value;
        Assert.NotEmpty(path);

        await RecordPages.WithBrowserAsync(async browser =>
        {
            var page = await browser.NewPageAsync(Browser.Phone());
            var response = await page.GotoAsync(new Uri(platform.ServerAddress, path).ToString());
            Assert.Equal(200, response!.Status);
            await FormDriver.WaitReadyAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=public-form-head]")).ToContainTextAsync("服务评价");
            await Assertions.Expect(page.Locator("[data-testid=public-subject]")).ToContainTextAsync(ticketNo);
            await Assertions.Expect(page.Locator("[data-testid=subject-track-link]")).ToContainTextAsync("查看办理进度");
            await Assertions.Expect(page.Locator("[data-testid=field-service_request]")).ToHaveCountAsync(0);
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));

            var stars = page.Locator("[data-testid=rating-rating][role=radiogroup] [role=radio]");
            await Assertions.Expect(stars).ToHaveCountAsync(5);
            await Assertions.Expect(page.Locator("[data-testid=field-rating] input")).ToHaveCountAsync(0);
            var fourth = page.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = "4 星", Exact = true });
            var box = await fourth.BoundingBoxAsync();
            Assert.True(box is { Width: >= 44, Height: >= 44 }, $"a star is a touch target of at least 44 px, got {box?.Width}×{box?.Height}");
            await fourth.ClickAsync();
            await Assertions.Expect(fourth).ToHaveAttributeAsync("aria-checked", "true");
            await Assertions.Expect(page.Locator("[data-testid=field-rating] .rf-rate-on")).ToHaveCountAsync(4);
            await page.ClickAsync("[data-testid=bool-first_time_fix-true]");
            await FormDriver.FillAsync(page, "comment", "师傅电话里就讲明白了，谢谢！");
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Browser.ScreenshotAsync(page, "feedback-form");

            await page.ClickAsync("[data-testid=form-submit]");
            await Assertions.Expect(page.Locator("[data-testid=public-thanks]")).ToContainTextAsync("感谢您的评价", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));
            await Browser.ScreenshotAsync(page, "feedback-thanks");

            // The SMS carried this page's link only: the thanks lead on to the request's timeline.
            await page.ClickAsync("[data-testid=public-thanks] [data-testid=subject-track-link]");
            await Assertions.Expect(page.Locator("[data-testid=link-view]")).ToContainTextAsync(ticketNo, new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            await page.GoBackAsync();

            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=public-answered]")).ToContainTextAsync("您已评价过", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-testid=record-form]")).ToHaveCountAsync(0);
        });

        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from records where entity_key = 'feedback' and data->>'service_request' = $1 and (data->>'rating')::int = 4 and (data->>'first_time_fix')::boolean",
            ticketId));
    }

    [Fact]
    public async Task TrackingLinkPage_OffersTheSurveyOfAResolvedJob_AndItsButtonOpensTheForm_OnAPhone()
    {
        string ticketId, ticketNo;
        using (var cs = await platform.ClientForAsync("cs01"))
        {
            var ticket = await CreateTicketAsync(cs, "consult", "north", null, NewPhone());
            (ticketId, ticketNo) = (Id(ticket), Text(ticket, "ticket_no")!);
            await ActAsync(cs, ticketId, "accept");
        }

        var app = (await platform.Factory.Services.GetRequiredService<Platform.Runtime.Execution.AppCatalog>().GetAsync("after_sales", CancellationToken.None))!;
        var link = (await platform.Factory.Services.GetRequiredService<Platform.Runtime.Execution.Customers.TrackingLinks>()
            .CreateAsync(app, "service_request", Guid.Parse(ticketId), CancellationToken.None))!;

        await RecordPages.WithBrowserAsync(async browser =>
        {
            var page = await browser.NewPageAsync(Browser.Phone());
            Assert.Equal(200, (await page.GotoAsync(new Uri(platform.ServerAddress, new Uri(link).AbsolutePath).ToString()))!.Status);
            await Assertions.Expect(page.Locator("[data-testid=link-view]")).ToContainTextAsync(ticketNo, new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            var offer = page.Locator("[data-testid=offer-service_feedback]");
            await Assertions.Expect(offer).ToContainTextAsync("服务评价");
            Assert.False(await FormDriver.ScrollsHorizontallyAsync(page, Width));
            await Browser.ScreenshotAsync(page, "customer-tracking-offer");

            await offer.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=public-subject]")).ToContainTextAsync(ticketNo, new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            Assert.Matches("/f/[A-Za-z0-9_-]{55}$", new Uri(page.Url).AbsolutePath);
        });
    }
}
