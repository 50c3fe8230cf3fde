using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The analyst builds a rule in the rule designer: a condition with the builder, an action, a dry-run on a demo record, publish.</summary>
[Collection("platform")]
public sealed class RuleDesignerPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task RuleDesigner_BuildsDryRunsAndPublishesARule_WhenTheAnalystUsesTheBuilder()
    {
        const string key = "ui_quality_alert";
        var (playwright, browser) = await Browser.LaunchAsync();
        var page = await DesignerPage.SignInAsync(browser, platform);
        try
        {
            await DesignerPage.OpenAsync(page, platform, $"/design/apps/after_sales/rules/{key}", "[data-testid=publish-rule]");
            await Assertions.Expect(page.Locator("[data-testid=rule-state]")).ToContainTextAsync("未发布");

            await page.Locator("[data-testid=rule-name]").FillAsync("质量问题申请提醒主管");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=rule-entity]"), "退换货申请");

            // Publishing without an action is refused, and the problem is shown at the actions.
            await page.Locator("[data-testid=publish-rule]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=rule-problems]")).ToContainTextAsync("规则至少需要一个动作");
            await Assertions.Expect(page.Locator("[data-testid=rule-actions] .mud-alert")).ToContainTextAsync("规则至少需要一个动作");

            // The condition: reason = quality, built with the builder; the compiled expression shows underneath.
            var builder = page.Locator("[data-testid=rule-condition]");
            await builder.Locator("[data-testid=cond-add]").First.ClickAsync();
            await DesignerPage.PickAsync(page, builder.Locator("[data-testid=cond-field]").First, "原因");
            await DesignerPage.PickAsync(page, builder.Locator("[data-testid=cond-value-select]").First, "质量问题");
            await Assertions.Expect(builder.Locator("[data-testid=cond-expression]")).ToHaveTextAsync("((reason == \"quality\"))");

            // One action: notify the supervisors.
            await page.Locator("[data-testid=add-action]").ClickAsync();
            await page.Locator("[data-testid=add-action-notify]").ClickAsync();
            var action = page.Locator("[data-testid=action-0]");
            await action.Locator("[data-testid=action-to-roles]").FillAsync("supervisor");
            await action.Locator("[data-testid=action-to-roles]").PressAsync("Tab");
            await action.Locator("[data-testid=action-text]").FillAsync("质量问题申请 {{request_no}}，金额 {{amount}} 元，请关注");
            await action.Locator("[data-testid=action-text]").PressAsync("Tab");

            // Dry-run against a demo return request: the outcome follows the record's reason.
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=sample-record]"), "RT");
            await Assertions.Expect(page.Locator("[data-testid=sample-json]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("request_no"));
            var sample = JsonNode.Parse(await page.Locator("[data-testid=sample-json]").InputValueAsync())!.AsObject();
            var quality = sample["reason"]?.GetValue<string>() == "quality";
            await page.Locator("[data-testid=dry-run]").ClickAsync();
            var outcome = page.Locator("[data-testid=dry-run-outcome]");
            await Assertions.Expect(outcome).ToContainTextAsync(quality ? "会触发" : "不会触发", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=dry-run-condition]")).ToContainTextAsync(quality ? "是" : "否");
            await Assertions.Expect(page.Locator("[data-testid=dry-run-condition]")).ToContainTextAsync("reason == \"quality\"");

            // A quality record fires: set the sample's reason and the action's plan shows who is told.
            var edited = sample.DeepClone().AsObject();
            edited["reason"] = "quality";
            await page.Locator("[data-testid=sample-json]").FillAsync(edited.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            await page.Locator("[data-testid=sample-json]").PressAsync("Tab");
            await page.Locator("[data-testid=dry-run]").ClickAsync();
            await Assertions.Expect(outcome).ToContainTextAsync("会触发");
            await Assertions.Expect(page.Locator("[data-testid=dry-run-action]")).ToContainTextAsync(sample["request_no"]!.GetValue<string>());
            await Browser.ScreenshotAsync(page, "rule-designer");

            // Published switched off, so the other tests' return requests do not fire it.
            await page.Locator("[data-testid=rule-enabled]").ClickAsync(new LocatorClickOptions { Force = true });
            await Assertions.Expect(page.Locator("[data-testid=rule-enabled]")).Not.ToBeCheckedAsync();
            await Assertions.Expect(page.GetByText("已停用")).ToBeVisibleAsync();
            await page.Locator("[data-testid=publish-rule]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=rule-state]")).ToContainTextAsync("已发布", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=rule-problems]")).ToHaveCountAsync(0);
        }
        catch
        {
            await DesignerPage.FailShotAsync(page, "rule-designer");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        using var api = await platform.ClientForAsync("analyst");
        var response = await api.GetAsync($"/api/apps/after_sales/rules/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rule = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("return_request", rule["entity"]!.GetValue<string>());
        Assert.False(rule["enabled"]!.GetValue<bool>());
        Assert.Equal("reason", rule["when"]!["all"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("quality", rule["when"]!["all"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("notify", rule["actions"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("supervisor", rule["actions"]![0]!["to"]!["roles"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task RuleDesigner_ShowsAPublishedRule_DryRunsItsAssignment_AndShowsTheNextRunsOfASchedule()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        var page = await DesignerPage.SignInAsync(browser, platform);
        try
        {
            await DesignerPage.OpenAsync(page, platform, "/design/apps/after_sales/rules/auto_dispatch", "[data-testid=publish-rule]");
            await Assertions.Expect(page.Locator("[data-testid=rule-state]")).ToContainTextAsync("已发布");
            Assert.Equal("自动派工", await page.Locator("[data-testid=rule-name]").InputValueAsync());
            await Assertions.Expect(page.Locator("[data-testid=action-0]")).ToContainTextAsync("自动分配");
            Assert.Equal(3, await page.Locator("[data-testid=action-0] [data-testid=action-where-row]").CountAsync());

            // The assignment weighs the engineers of the sample's region: the dry-run lists the candidates.
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=sample-record]"), "SR");
            await page.Locator("[data-testid=dry-run]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=dry-run-action]")).ToContainTextAsync("候选", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });

            // A schedule trigger shows when it would run next (not published: the template's rule stays as it is).
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=trigger-type]"), "定时执行");
            await page.Locator("[data-testid=trigger-cron]").FillAsync("0 8 * * 1");
            await page.Locator("[data-testid=trigger-cron]").PressAsync("Tab");
            await Assertions.Expect(page.Locator("[data-testid=next-run]")).ToHaveCountAsync(5);
            await Assertions.Expect(page.Locator("[data-testid=next-run]").First).ToContainTextAsync("08:00");
            await Assertions.Expect(page.Locator("[data-testid=next-run]").First).ToContainTextAsync("周一");
        }
        catch
        {
            await DesignerPage.FailShotAsync(page, "rule-designer-published");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
