using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>A record's detail: its form sections with formatted values and the flow's history as a timeline.</summary>
[Collection("platform")]
public sealed class RecordDetailPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task RecordDetail_ShowsSectionsAndTheFlowTimeline_WhenTheRecordHasAFlow() => await RecordPages.WithBrowserAsync(async browser =>
    {
        // A demo return whose flow went through several steps.
        var (recordId, instanceId) = await platform.FirstAsync("""
            select i.record_id, i.id from flow_instances i
            where i.app_key = 'after_sales' and i.entity_key = 'return_request' and i.status = 'completed'
              and (select count(*) from flow_history h where h.instance_id = i.id) >= 6
            order by i.started_at limit 1
            """);
        var instance = await RecordPages.GetAsync(platform, "sup01", $"/api/flows/instances/{instanceId}");
        var record = await RecordPages.GetAsync(platform, "sup01", $"/api/apps/after_sales/entities/return_request/records/{recordId}");
        var history = instance["history"]!.AsArray();

        var page = await RecordPages.SignInAsync(browser, platform, "sup01");
        await page.GotoAsync(new Uri(platform.ServerAddress, $"/apps/after_sales/records/return_request/{recordId}").ToString());
        await Assertions.Expect(page.Locator("[data-testid=record-title]")).ToContainTextAsync(record["data"]!["request_no"]!.GetValue<string>(), new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        foreach (var section in new[] { "order", "contact", "request" })
        {
            await Assertions.Expect(page.Locator($"[data-testid=section-{section}]")).ToBeVisibleAsync();
        }

        // Option labels and the reference by name, as an export shows them.
        var kind = record["data"]!["kind"]!.GetValue<string>();
        await Assertions.Expect(page.Locator("[data-testid=field-kind]")).ToContainTextAsync(kind == "return" ? "退货" : "换货");
        await Assertions.Expect(page.Locator("[data-testid=field-phone]")).ToContainTextAsync(record["data"]!["phone"]!.GetValue<string>());
        await Assertions.Expect(page.Locator("[data-testid=flow-status]")).ToHaveTextAsync("已完成");

        // One timeline entry per history line, in order, with who and the step.
        var entries = page.Locator("[data-testid=timeline-entry]");
        await Assertions.Expect(entries).ToHaveCountAsync(history.Count);
        Assert.Equal(
            history.Select(h => h!["action"]!.GetValue<string>()).ToList(),
            await entries.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.action)"));
        var approval = history.Select((h, i) => (h, i)).First(x => x.h!["action"]!.GetValue<string>() == "approve");
        await Assertions.Expect(entries.Nth(approval.i)).ToContainTextAsync("通过");
        await Assertions.Expect(entries.Nth(approval.i)).ToContainTextAsync(approval.h!["stepName"]!.GetValue<string>());

        // A completed flow offers no actions; the edit button leads to the edit form.
        await Assertions.Expect(page.Locator("[data-testid=my-task]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=edit-record]")).ToHaveAttributeAsync("href", $"apps/after_sales/records/return_request/{recordId}/edit");
        await Browser.ScreenshotAsync(page, "record-detail");
    });
}
