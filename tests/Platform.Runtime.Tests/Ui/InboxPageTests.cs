using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The inbox: an assignee approves a real demo task through the dialog and the flow moves; a transfer hands the task to the picked user.</summary>
[Collection("platform")]
public sealed class InboxPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task Inbox_ApprovesTaskWithComment_AndTheFlowMovesOn() => await RecordPages.WithBrowserAsync(async browser =>
    {
        // cs01's first open customer-service review of a return, as the inbox API lists it.
        var todo = await RecordPages.GetArrayAsync(platform, "cs01", "/api/tasks?box=todo&limit=200");
        var task = todo.First(t => t!["step"]!.GetValue<string>() == "cs_review")!;
        var taskId = task["id"]!.GetValue<string>();
        var instanceId = task["flowInstanceId"]!.GetValue<string>();

        var page = await RecordPages.SignInAsync(browser, platform, "cs01");
        await page.GotoAsync(new Uri(platform.ServerAddress, "/inbox").ToString());
        var row = page.Locator($"[data-testid=inbox-row][data-task='{taskId}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=inbox]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await Assertions.Expect(row).ToContainTextAsync("客服初审");
        await Browser.ScreenshotAsync(page, "inbox", fullPage: false);

        await row.Locator("[data-testid=quick-approve]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog.Locator("[data-testid=task-submit]")).ToBeVisibleAsync();
        // The step lets the reviewer edit the description.
        await Assertions.Expect(dialog.Locator("[data-testid=step-field-description]")).ToBeVisibleAsync();
        await dialog.Locator("textarea[data-testid=task-comment], [data-testid=task-comment] textarea").First.FillAsync("资料齐全，同意退换");
        await page.WaitForTimeoutAsync(500);
        await Browser.ScreenshotAsync(page, "task-approve-dialog", fullPage: false);
        await dialog.Locator("[data-testid=task-submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已通过");
        await Assertions.Expect(row).ToHaveCountAsync(0);

        // The instance moved past cs_review, with cs01's approval and comment in its history.
        var instance = await RecordPages.GetAsync(platform, "cs01", $"/api/flows/instances/{instanceId}");
        var approval = instance["history"]!.AsArray().Last(h => h!["action"]!.GetValue<string>() == "approve" && h["step"]!.GetValue<string>() == "cs_review")!;
        Assert.Equal("cs01", approval["by"]!.GetValue<string>());
        Assert.Equal("资料齐全，同意退换", approval["comment"]!.GetValue<string>());
        Assert.DoesNotContain("cs_review", instance["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(0, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'open'", Guid.Parse(taskId)));

        // The done box lists it now.
        await page.Locator("[data-testid=inbox-tabs] .mud-tab").Filter(new LocatorFilterOptions { HasTextString = "已办" }).ClickAsync();
        await Assertions.Expect(page.Locator($"[data-testid=inbox-row][data-task='{taskId}']")).ToContainTextAsync("通过");
    });

    [Fact]
    public async Task Inbox_TransferMovesTheTask_ToThePickedUser() => await RecordPages.WithBrowserAsync(async browser =>
    {
        // A service request waiting for acceptance by customer service (cs01 holds the role).
        var todo = await RecordPages.GetArrayAsync(platform, "cs01", "/api/tasks?box=todo&limit=200");
        var task = todo.First(t => t!["step"]!.GetValue<string>() == "accept" || t["step"]!.GetValue<string>() == "follow_up")!;
        var taskId = task["id"]!.GetValue<string>();

        var page = await RecordPages.SignInAsync(browser, platform, "cs01");
        await page.GotoAsync(new Uri(platform.ServerAddress, $"/apps/{task["app"]}/records/{task["entity"]}/{task["recordId"]}").ToString());
        var mine = page.Locator($"[data-testid=my-task][data-task='{taskId}']");
        await Assertions.Expect(mine).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=flow-panel]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await Browser.ScreenshotAsync(page, "record-detail-task");
        await mine.Locator("[data-testid=action-transfer]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");

        // Submitting without a user names the missing field and changes nothing.
        await dialog.Locator("[data-testid=task-submit]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("请选择用户");

        await dialog.Locator("[data-testid=user-picker] input, input[data-testid=user-picker]").First.FillAsync("sup01");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextString = "sup01" }).First.ClickAsync();
        await dialog.Locator("textarea[data-testid=task-comment], [data-testid=task-comment] textarea").First.FillAsync("请主管处理");
        await Assertions.Expect(dialog.Locator("[data-testid=task-dialog-subject]")).ToContainTextAsync(task["title"]!.GetValue<string>().Split(" · ")[^1]);
        await dialog.Locator("[data-testid=task-submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已转交");
        await Assertions.Expect(mine).ToHaveCountAsync(0);

        // The task is sup01's now, in their inbox, and gone from cs01's.
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'open' and assignee = 'sup01'", Guid.Parse(taskId)));
        var theirs = await RecordPages.GetArrayAsync(platform, "sup01", "/api/tasks?box=todo&limit=500");
        Assert.Contains(theirs, t => t!["id"]!.GetValue<string>() == taskId);
        var ours = await RecordPages.GetArrayAsync(platform, "cs01", "/api/tasks?box=todo&limit=500");
        Assert.DoesNotContain(ours, t => t!["id"]!.GetValue<string>() == taskId);
        await Assertions.Expect(page.Locator("[data-testid=timeline-entry][data-action=transfer]").Last).ToContainTextAsync("转交");

        // sup01's bell has the hand-over; opening it marks it read and shows the record.
        var theirPage = await RecordPages.SignInAsync(browser, platform, "sup01");
        await theirPage.GotoAsync(new Uri(platform.ServerAddress, "/inbox").ToString());
        await Assertions.Expect(theirPage.Locator("[data-testid=inbox]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await theirPage.Locator("[data-testid=bell-button]").ClickAsync();
        var note = theirPage.Locator("[data-testid=notification][data-read=false]").Filter(new LocatorFilterOptions { HasTextString = "转交给你" }).First;
        await Assertions.Expect(note).ToBeVisibleAsync();
        var unreadBefore = await platform.CountAsync("select count(*) from notifications where user_name = 'sup01' and read_at is null");
        await note.ClickAsync();
        await Assertions.Expect(theirPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/apps/{task["app"]}/records/{task["entity"]}/{task["recordId"]}$"));
        await Assertions.Expect(theirPage.Locator($"[data-testid=my-task][data-task='{taskId}']")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        Assert.Equal(unreadBefore - 1, await platform.CountAsync("select count(*) from notifications where user_name = 'sup01' and read_at is null"));
    });

    [Fact]
    public async Task Inbox_SaysSomeoneElseActedFirst_WhenTheTaskWasHandledMeanwhile() => await RecordPages.WithBrowserAsync(async browser =>
    {
        var todo = await RecordPages.GetArrayAsync(platform, "wh01", "/api/tasks?box=todo&limit=200");
        var task = todo.First(t => t!["kind"]!.GetValue<string>() == "approval")!;
        var taskId = task["id"]!.GetValue<string>();

        var page = await RecordPages.SignInAsync(browser, platform, "wh01");
        await page.GotoAsync(new Uri(platform.ServerAddress, "/inbox").ToString());
        var row = page.Locator($"[data-testid=inbox-row][data-task='{taskId}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=inbox]")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await row.Locator("[data-testid=quick-approve]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog.Locator("[data-testid=task-submit]")).ToBeVisibleAsync();

        // Meanwhile the same task is approved through the API.
        using (var client = await platform.ClientForAsync("wh01"))
        {
            var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, $"/api/tasks/{taskId}/actions", new { action = "approve", comment = "API 先处理" });
            response.EnsureSuccessStatusCode();
        }

        await dialog.Locator("[data-testid=task-submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已被其他人处理");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_history where task_id = $1 and action = 'approve'", Guid.Parse(taskId)));
    });
}
