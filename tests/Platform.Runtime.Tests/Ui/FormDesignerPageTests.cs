using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The analyst creates an app, designs a form by dragging fields from the palette, and publishes it.</summary>
[Collection("platform")]
public sealed class FormDesignerPageTests(PlatformFixture platform)
{
    private static async Task<IPage> SignInAsync(IBrowser browser, PlatformFixture platform, string user = "analyst")
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, Locale = "zh-CN" });
        page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
        await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", "demo1234");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=app-after_sales]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        return page;
    }

    /// <summary>The input of a MudBlazor field: the test id lands on the input itself or on a wrapper.</summary>
    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    /// <summary>Clicks until <paramref name="appears"/> shows: a prerendered button does nothing before the circuit is connected.</summary>
    internal static async Task ClickUntilAsync(IPage page, string selector, string appears)
    {
        for (var attempt = 0; ; attempt++)
        {
            await page.ClickAsync(selector);
            try
            {
                await page.Locator(appears).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 2_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 10)
            {
            }
        }
    }

    private static async Task<string[]> FieldOrderAsync(IPage page, string section) =>
        (await page.Locator($"[data-testid=drop-{section}] [data-field-key]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.fieldKey)"));

    [Fact]
    public async Task FormDesigner_PublishesDraggedFields_WhenAnalystDesignsANewEntity()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser, platform);
            await Browser.ScreenshotAsync(page, "home");

            // A blank app from the app list.
            await ClickUntilAsync(page, "[data-testid=new-app]", "[data-testid=create-app-dialog], .mud-dialog");
            await Input(page, "app-key").FillAsync("fd_shop");
            await Input(page, "app-name").FillAsync("门店巡检");
            await Input(page, "app-name-en").FillAsync("Store visits");
            await Input(page, "app-description").FillAsync("门店巡检记录与整改跟踪");
            await Browser.ScreenshotAsync(page, "app-create", fullPage: false);
            await page.ClickAsync("[data-testid=create-app-submit]");
            await page.WaitForURLAsync("**/design/apps/fd_shop");
            await Assertions.Expect(page.Locator("[data-testid=overview-title]")).ToContainTextAsync("门店巡检");

            // A new entity: the key dialog leads to the form designer.
            await ClickUntilAsync(page, "[data-testid=new-entity]", ".mud-dialog");
            await Input(page, "new-key").FillAsync("visit");
            await page.ClickAsync("[data-testid=new-key-submit]");
            await page.WaitForURLAsync("**/design/apps/fd_shop/forms/visit");
            await Assertions.Expect(page.Locator("[data-testid=designer]")).ToHaveAttributeAsync("data-dnd-ready", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });

            // Three fields dragged from the palette onto the section.
            var drop = page.Locator("[data-testid=drop-basic]");
            foreach (var (type, key) in new[] { ("text", "text_1"), ("select", "select_1"), ("number", "number_1") })
            {
                await page.Locator($"[data-testid=palette-{type}]").DragToAsync(drop, new LocatorDragToOptions { TargetPosition = new TargetPosition { X = 10, Y = 5 + (await drop.BoundingBoxAsync())!.Height - 12 } });
                await Assertions.Expect(page.Locator($"[data-testid=fd-field-{key}]")).ToBeVisibleAsync();
            }

            Assert.Equal(["text_1", "select_1", "number_1"], await FieldOrderAsync(page, "basic"));

            // Reorder by drag: the number goes before the text.
            await page.Locator("[data-testid=fd-field-number_1]").DragToAsync(page.Locator("[data-testid=fd-field-text_1]"), new LocatorDragToOptions { TargetPosition = new TargetPosition { X = 5, Y = 5 } });
            await Assertions.Expect(page.Locator("[data-testid=drop-basic] [data-field-key]").First).ToHaveAttributeAsync("data-field-key", "number_1");
            Assert.Equal(["number_1", "text_1", "select_1"], await FieldOrderAsync(page, "basic"));

            // Select the text field, name it and make it required.
            await page.ClickAsync("[data-testid=fd-field-text_1]");
            await Assertions.Expect(Input(page, "prop-key")).ToHaveValueAsync("text_1");
            await Input(page, "prop-label").FillAsync("门店名称");
            await Input(page, "prop-label").PressAsync("Tab");
            await Input(page, "prop-required").CheckAsync();
            await Assertions.Expect(page.Locator("[data-testid=required-text_1]")).ToBeVisibleAsync();
            await page.ClickAsync("[data-testid=fd-field-select_1]");
            await Assertions.Expect(Input(page, "prop-key")).ToHaveValueAsync("select_1");
            await Assertions.Expect(page.Locator("[data-testid=options-editor]")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, "form-designer", fullPage: false);

            // The preview tab renders the generated form as designed.
            await page.Locator(".mud-tab").Nth(1).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=record-form] [data-testid='field-text_1']")).ToContainTextAsync("门店名称");
            await page.Locator(".mud-tab").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=fd-field-text_1]")).ToBeVisibleAsync();

            // The diff lists the new entity and its fields.
            await page.ClickAsync("[data-testid=diff]");
            await Assertions.Expect(page.Locator("[data-testid=diff-list]")).ToContainTextAsync("门店名称");
            await page.Locator(".mud-dialog .mud-dialog-actions button").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

            // Publish: a new app version with the fields in the dragged order.
            await page.ClickAsync("[data-testid=publish]");
            await Assertions.Expect(page.Locator("[data-testid=entity-state]")).ToContainTextAsync("已发布", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });

            using var analyst = await platform.ClientForAsync("analyst");
            var entity = await ApiAssert.JsonAsync(await analyst.GetAsync("/api/apps/fd_shop/entities/visit"), HttpStatusCode.OK);
            var fields = entity["fields"]!.AsArray();
            Assert.Equal(["number_1", "text_1", "select_1"], fields.Select(f => f!["key"]!.GetValue<string>()));
            Assert.True(fields[1]!["required"]!.GetValue<bool>());
            Assert.Equal("门店名称", fields[1]!["label"]!.GetValue<string>());
            Assert.Equal(["number_1", "text_1", "select_1"], entity["form"]!["sections"]![0]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
            Assert.Equal(2, await platform.CountAsync("select version from apps where key = 'fd_shop'"));
            Assert.Equal(0, await platform.CountAsync("select count(*) from definition_drafts where app_key = 'fd_shop'"));

            // The published form takes a record: the required text is asked for, then the record is saved.
            await page.GotoAsync(new Uri(platform.ServerAddress, "/apps/fd_shop/records/visit/new").ToString());
            await FormDriver.WaitReadyAsync(page);
            await FormDriver.FillAsync(page, "number_1", "3");
            await FormDriver.SelectAsync(page, "select_1", "选项 2");
            await page.ClickAsync("[data-testid=form-submit]");
            await Assertions.Expect(FormDriver.Field(page, "text_1")).ToHaveAttributeAsync("data-error", "true");
            Assert.Equal(0, await platform.CountAsync("select count(*) from records where app_key = 'fd_shop'"));
            await FormDriver.FillAsync(page, "text_1", "徐汇店");
            await page.ClickAsync("[data-testid=form-submit]");
            for (var i = 0; i < 50 && await platform.CountAsync("select count(*) from records where app_key = 'fd_shop'") == 0; i++)
            {
                await Task.Delay(200);
            }

            Assert.Equal(1, await platform.CountAsync("select count(*) from records where app_key = 'fd_shop' and data->>'text_1' = '徐汇店' and (data->>'number_1')::numeric = 3 and data->>'select_1' = 'option_2'"));

            // Changing the published form: the diff lists the move and the changed property; discarding the draft restores it.
            await page.GotoAsync(new Uri(platform.ServerAddress, "/design/apps/fd_shop/forms/visit").ToString());
            await Assertions.Expect(page.Locator("[data-testid=designer]")).ToHaveAttributeAsync("data-dnd-ready", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
            await page.Locator("[data-testid=fd-field-select_1]").DragToAsync(page.Locator("[data-testid=fd-field-number_1]"), new LocatorDragToOptions { TargetPosition = new TargetPosition { X = 5, Y = 5 } });
            await Assertions.Expect(page.Locator("[data-testid=drop-basic] [data-field-key]").First).ToHaveAttributeAsync("data-field-key", "select_1");
            await page.ClickAsync("[data-testid=fd-field-number_1]");
            await Assertions.Expect(Input(page, "prop-key")).ToHaveValueAsync("number_1");
            await Input(page, "prop-required").CheckAsync();
            await Assertions.Expect(page.Locator("[data-testid=required-number_1]")).ToBeVisibleAsync();
            await page.ClickAsync("[data-testid=diff]");
            var diff = page.Locator("[data-testid=diff-list]");
            await Assertions.Expect(diff.Locator("[data-testid=diff-FieldMoved-select_1]")).ToBeVisibleAsync();
            await Assertions.Expect(diff.Locator("[data-testid=diff-FieldChanged-number_1]")).ToContainTextAsync("必填：否 → 是");
            await Browser.ScreenshotAsync(page, "form-diff", fullPage: false);
            await page.ClickAsync("[data-testid=diff-close]");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
            await page.ClickAsync("[data-testid=save-draft]");
            await Assertions.Expect(page.Locator("[data-testid=discard]")).ToBeEnabledAsync();
            await page.ClickAsync("[data-testid=discard]");
            await page.Locator(".mud-dialog .mud-button-root").Filter(new LocatorFilterOptions { HasTextString = "放弃草稿" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=required-number_1]")).ToHaveCountAsync(0);
            Assert.Equal(["number_1", "text_1", "select_1"], await FieldOrderAsync(page, "basic"));
            Assert.Equal(0, await platform.CountAsync("select count(*) from definition_drafts where app_key = 'fd_shop'"));
        }
        catch
        {
            foreach (var p in browser.Contexts.SelectMany(c => c.Pages))
            {
                await p.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/fd-fail.png" });
            }

            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task ImportDialog_ShowsEveryProblemThenAPreview_BeforeImporting()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        var good = Path.Combine(Path.GetTempPath(), $"good-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, """
            { "format": "platform-app", "formatVersion": 1, "app": { "key": "fd_import_bad", "name": "坏包" },
              "entities": [ { "key": "ticket", "label": "工单", "fields": [ { "key": "title", "type": "text" }, { "key": "count", "type": "no-such-type" } ],
                "form": { "sections": [ { "key": "basic", "fields": ["title", "missing"] } ] } } ] }
            """);
        await File.WriteAllTextAsync(good, """
            { "format": "platform-app", "formatVersion": 1, "app": { "key": "fd_import", "name": "设备台账", "nameEn": "Assets" },
              "entities": [ { "key": "asset", "label": "设备", "fields": [ { "key": "name", "type": "text", "label": "名称", "required": true }, { "key": "qty", "type": "integer", "label": "数量" } ] } ],
              "publicForms": [ { "key": "asset_form", "entity": "asset", "title": "设备登记" } ],
              "seed": { "asset": [ { "name": "空调" }, { "name": "冰箱", "qty": 2 } ] } }
            """);
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser, platform);
            await ClickUntilAsync(page, "[data-testid=import-app]", ".mud-dialog");

            await page.Locator("input[data-testid=import-file], [data-testid=import-file] input").First.SetInputFilesAsync(bad);
            var problems = page.Locator("[data-testid=import-problems]");
            await Assertions.Expect(problems).ToContainTextAsync("$.entities[0].fields[1].type");
            await Assertions.Expect(problems).ToContainTextAsync("$.entities[0].form.sections[0].fields[1]");
            await Assertions.Expect(page.Locator("[data-testid=import-submit]")).ToBeDisabledAsync();
            Assert.Equal(0, await platform.CountAsync("select count(*) from apps where key = 'fd_import_bad'"));

            await page.Locator("input[data-testid=import-file], [data-testid=import-file] input").First.SetInputFilesAsync(good);
            await Assertions.Expect(page.Locator("[data-testid=preview-entity-asset]")).ToContainTextAsync("设备");
            await Assertions.Expect(page.Locator("[data-testid=preview-public-forms]")).ToContainTextAsync("设备登记");
            await Assertions.Expect(page.Locator("[data-testid=import-summary]")).ToContainTextAsync("将创建新应用");
            Assert.Equal(0, await platform.CountAsync("select count(*) from apps where key = 'fd_import'"));
            await Assertions.Expect(page.Locator("[data-testid=import-submit]")).ToBeEnabledAsync();
            await page.WaitForTimeoutAsync(300);
            await Browser.ScreenshotAsync(page, "import-preview", fullPage: false);

            await page.ClickAsync("[data-testid=import-submit]");
            await page.WaitForURLAsync("**/design/apps/fd_import");
            Assert.Equal(2, await platform.CountAsync("select count(*) from records where app_key = 'fd_import'"));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            File.Delete(bad);
            File.Delete(good);
        }
    }

    [Fact]
    public async Task FormDesigner_ShowsProblemsAtTheirField_AndPublishesNothing_WhenAFormulaReadsAMissingField()
    {
        using (var analyst = await platform.ClientForAsync("analyst"))
        {
            await ApiAssert.JsonAsync(await analyst.PostAsync("/api/apps", System.Net.Http.Json.JsonContent.Create(new { key = "fd_bad_formula", name = "公式" })), HttpStatusCode.Created);
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser, platform);
            await page.GotoAsync(new Uri(platform.ServerAddress, "/design/apps/fd_bad_formula/forms/order").ToString());
            await Assertions.Expect(page.Locator("[data-testid=designer]")).ToHaveAttributeAsync("data-dnd-ready", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
            var drop = page.Locator("[data-testid=drop-basic]");
            await page.Locator("[data-testid=palette-number]").DragToAsync(drop);
            await Assertions.Expect(page.Locator("[data-testid=fd-field-number_1]")).ToBeVisibleAsync();
            await page.Locator("[data-testid=palette-formula]").DragToAsync(drop);
            await Assertions.Expect(Input(page, "prop-key")).ToHaveValueAsync("formula_1");

            // The live test evaluates the formula with sample values.
            await Input(page, "formula").FillAsync("number_1 * 2");
            await Input(page, "formula").PressAsync("Tab");
            await Input(page, "sample-number_1").FillAsync("21");
            await page.ClickAsync("[data-testid=formula-run]");
            await Assertions.Expect(page.Locator("[data-testid=formula-result]")).ToHaveTextAsync("= 42");

            await Input(page, "formula").FillAsync("price * 2");
            await Input(page, "formula").PressAsync("Tab");
            await page.ClickAsync("[data-testid=publish]");

            await Assertions.Expect(page.Locator("[data-testid=publish-problems]")).ToContainTextAsync("price");
            await Assertions.Expect(page.Locator("[data-testid=fd-field-formula_1]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("fd-has-problem"));
            await Assertions.Expect(page.Locator("[data-testid=field-problem]")).ToContainTextAsync("price");
            Assert.Equal(1, await platform.CountAsync("select version from apps where key = 'fd_bad_formula'"));
            Assert.Equal(1, await platform.CountAsync("select count(*) from definition_drafts where app_key = 'fd_bad_formula' and key = 'order'"));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task FormDesigner_ShowsAndEditsAnAggregate_WithoutJson()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser, platform);
            await page.GotoAsync(new Uri(platform.ServerAddress, "/design/apps/after_sales/forms/engineer").ToString());
            await Assertions.Expect(page.Locator("[data-testid=designer]")).ToHaveAttributeAsync("data-dnd-ready", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
            await ClickUntilAsync(page, "[data-testid=fd-field-open_jobs]", "[data-testid=prop-aggregate-source]");

            // The template's open jobs: service requests by their engineer, not closed or rejected.
            await Assertions.Expect(Input(page, "prop-aggregate-source")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("服务工单.*工程师"));
            await Assertions.Expect(page.Locator("[data-testid=prop-aggregate-where-0]")).ToContainTextAsync("不属于");
            await Assertions.Expect(page.Locator("[data-testid=prop-aggregate-where-0]")).ToContainTextAsync("closed");

            // A second condition is added from the panel.
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=prop-aggregate-where-field]"), "优先级");
            await Input(page, "prop-aggregate-where-value").FillAsync("urgent");
            await page.ClickAsync("[data-testid=prop-aggregate-where-add]");
            await Assertions.Expect(page.Locator("[data-testid=prop-aggregate-where-1]")).ToContainTextAsync("urgent");
            await Browser.ScreenshotAsync(page, "form-designer-aggregate", fullPage: false);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, "form-designer-aggregate");
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task PublishDialog_ShowsLinkQrCodeAndEmbed_ForAPublicForm()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser, platform);
            await page.GotoAsync(new Uri(platform.ServerAddress, "/design/apps/after_sales").ToString());
            await Assertions.Expect(page.Locator("[data-testid=public-form-return_form]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            await ClickUntilAsync(page, "[data-testid=publish-return_form]", "[data-testid=publish-dialog], .mud-dialog");

            await Assertions.Expect(Input(page, "publish-url")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/f/[A-Za-z0-9_-]+$"));
            var url = await Input(page, "publish-url").InputValueAsync();
            await Assertions.Expect(Input(page, "publish-embed")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("<iframe[^>]+" + System.Text.RegularExpressions.Regex.Escape(url)));
            await page.WaitForFunctionAsync("() => { const img = document.querySelector('[data-testid=publish-qr]'); return img && img.complete && img.naturalWidth > 0; }");
            await page.WaitForTimeoutAsync(300);
            await Browser.ScreenshotAsync(page, "publish-dialog", fullPage: false);
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "design-app", fullPage: false);

            // The link's token opens the public form without signing in.
            using var anonymous = platform.Anonymous();
            var token = url[(url.LastIndexOf('/') + 1)..];
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/public/forms/{token}")).StatusCode);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
