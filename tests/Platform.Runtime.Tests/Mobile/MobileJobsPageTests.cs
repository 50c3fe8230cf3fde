using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Runtime.Tests.Ui;

namespace Platform.Runtime.Tests.Mobile;

/// <summary>
/// eng01 on a 375 × 812 phone: signs in, finds the job made for them on /m, opens it, records a part, takes a work
/// photo, has the customer sign and completes the job — the task is done and the record carries it all.
/// </summary>
[Collection("platform")]
public sealed class MobileJobsPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task MobileJob_RecordsPartPhotoAndSignature_AndCompletesTheTask()
    {
        var job = await FieldJobs.CreateForAsync(platform, "eng01");
        using var api = await platform.ClientForAsync("eng01");
        var part = (await api.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/entities/spare_part/records?filter=stock:ge:5&pageSize=1&sort=-stock"))!["items"]![0]!;
        var partId = part["id"]!.GetValue<string>();
        var partName = part["data"]!["name"]!.GetValue<string>();
        var stockBefore = part["data"]!["stock"]!.GetValue<decimal>();

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(Browser.Phone());
            page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
            page.Response += (_, r) => { if (r.Status >= 500) Console.WriteLine($"[browser] {r.Status} {r.Url}"); };

            // /m asks for sign-in first and comes back to the list.
            await page.GotoAsync(Url("/m"));
            await page.WaitForURLAsync(new Regex("/login"));
            await page.FillAsync("#userName", "eng01");
            await page.FillAsync("#password", "demo1234");
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(new Regex("/m$"), new PageWaitForURLOptions { Timeout = 20_000 });
            var list = page.Locator("[data-testid=mobile-jobs]");
            await Assertions.Expect(list).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });

            var card = page.Locator($"[data-testid=mobile-job-card][data-task='{job.Task}']");
            await Assertions.Expect(card).ToContainTextAsync(job.TicketNo);
            await Assertions.Expect(card.Locator("[data-testid=job-priority]")).ToHaveTextAsync("紧急");
            Assert.StartsWith("https://uri.amap.com/search?keyword=", await card.Locator("[data-testid=job-navigate]").GetAttributeAsync("href"));
            Assert.Equal("tel:13812345678", await card.Locator("[data-testid=job-call]").GetAttributeAsync("href"));
            await AssertTouchTargetsAsync(card.Locator("[data-testid=job-navigate], [data-testid=job-call], [data-testid=job-start]"));
            await AssertNoSideScrollAsync(page);
            await page.WaitForTimeoutAsync(400);
            await Browser.ScreenshotAsync(page, "mobile-jobs", fullPage: false);

            await card.Locator("[data-testid=job-start]").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/m/jobs/{job.Task}$"));
            var jobPage = page.Locator("[data-testid=mobile-job]");
            await Assertions.Expect(jobPage).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-testid=job-description]")).ToContainTextAsync("不制冷");

            // A part: search, pick, two of them.
            await page.Locator("[data-testid=part-search]").FillAsync(partName);
            var option = page.Locator($"[data-testid=part-option][data-part='{partId}']");
            await option.ClickAsync();
            await page.Locator("[data-testid=part-more]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=part-quantity]")).ToHaveValueAsync("2");
            await page.Locator("[data-testid=part-add]").ClickAsync();
            var line = page.Locator("[data-testid=part-line]");
            await Assertions.Expect(line).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            await Assertions.Expect(line).ToContainTextAsync(partName);
            await Assertions.Expect(line).ToContainTextAsync("× 2");

            // A work photo from the "camera".
            var input = page.Locator("[data-testid=job-photos] input[type=file]");
            Assert.Equal("environment", await input.GetAttributeAsync("capture"));
            Assert.Equal("image/*", await input.GetAttributeAsync("accept"));
            await input.SetInputFilesAsync(new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = FieldJobs.PhotoPng() });
            await Assertions.Expect(page.Locator("[data-testid=work-photo]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });

            // Completing before the customer signed is refused on the page (the server would refuse it too).
            await page.Locator("[data-testid=job-complete]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=job-error]")).ToContainTextAsync("签字");
            Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'open'", job.Task));

            // The customer signs with a finger (a mouse drag on the canvas here).
            var pad = page.Locator("[data-testid=signature-pad]");
            await pad.ScrollIntoViewIfNeededAsync();
            var box = (await pad.BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(box.X + 30, box.Y + 120);
            await page.Mouse.DownAsync();
            foreach (var (dx, dy) in new[] { (60, 60), (90, 130), (130, 50), (170, 120), (210, 70), (250, 125), (300, 90) })
            {
                await page.Mouse.MoveAsync(box.X + dx, box.Y + dy, new MouseMoveOptions { Steps = 6 });
            }

            await page.Mouse.UpAsync();
            await Assertions.Expect(page.Locator("[data-testid=signature]")).ToHaveAttributeAsync("data-ink", "true");
            await page.Locator("[data-testid=job-comment]").FillAsync("更换温控器，试机制冷正常");
            await AssertNoSideScrollAsync(page);
            await FullHeightScreenshotAsync(page, "mobile-job");

            await page.Locator("[data-testid=job-complete]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/m$"), new PageWaitForURLOptions { Timeout = 20_000 });
            await Assertions.Expect(page.Locator($"[data-testid=mobile-job-card][data-task='{job.Task}']")).ToHaveCountAsync(0);

            // The task is done by eng01 with the comment; the record has the signature and photo; the stock went down by 2.
            Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'done' and closed_by = 'eng01' and action = 'approve'", job.Task));
            var record = await RecordPages.GetAsync(platform, "cs01", $"/api/apps/after_sales/entities/service_request/records/{job.Record}");
            Assert.Equal(["follow_up"], record["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.Single(record["data"]!["customer_signature"]!.AsArray());
            Assert.Single(record["data"]!["work_photos"]!.AsArray());
            var instance = await RecordPages.GetAsync(platform, "cs01", $"/api/flows/instances/{job.Instance}");
            Assert.Contains(instance["history"]!.AsArray(), h => h!["step"]!.GetValue<string>() == "execute" && h["action"]!.GetValue<string>() == "approve"
                && h["comment"]?.GetValue<string>() == "更换温控器，试机制冷正常");
            var stored = await RecordPages.GetAsync(platform, "eng01", $"/api/apps/after_sales/entities/spare_part/records/{partId}");
            Assert.Equal(stockBefore - 2, stored["data"]!["stock"]!.GetValue<decimal>());
            var signature = await api.GetAsync($"/api/files/{record["data"]!["customer_signature"]![0]}");
            Assert.Equal("image/png", signature.Content.Headers.ContentType!.MediaType);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "mobile-job");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>The whole page as a phone as tall as it would show it (a full-page capture would paint the sticky bars mid-page).</summary>
    private static async Task FullHeightScreenshotAsync(IPage page, string name)
    {
        // The snackbar of the last action would cover the job's title.
        await page.EvaluateAsync("() => { document.querySelectorAll('.mud-snackbar').forEach(s => s.style.visibility = 'hidden'); window.scrollTo(0, 0); }");
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.SetViewportSizeAsync(375, height);
        await page.WaitForTimeoutAsync(400);
        await Browser.ScreenshotAsync(page, name, fullPage: false);
        await page.SetViewportSizeAsync(375, 812);
    }

    private string Url(string path) => new Uri(platform.ServerAddress, path).ToString();

    private static async Task AssertNoSideScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll at 375 px");

    /// <summary>Buttons a thumb can hit: at least 44 px high.</summary>
    private static async Task AssertTouchTargetsAsync(ILocator buttons)
    {
        foreach (var button in await buttons.AllAsync())
        {
            Assert.True((await button.BoundingBoxAsync())!.Height >= 44, "touch target below 44 px");
        }
    }
}
