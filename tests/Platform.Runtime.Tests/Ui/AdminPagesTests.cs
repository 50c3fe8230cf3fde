using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The administrator's screens: users (create, edit, deactivate, reset password), the department tree, the permission matrix.</summary>
[Collection("platform")]
public sealed class AdminPagesTests(PlatformFixture platform)
{
    private async Task<IPage> SignInAsync(IBrowser browser, string user = "admin")
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, Locale = "zh-CN" });
        page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
        await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", user == "admin" ? PlatformApiFactory.AdminPassword : "demo1234");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=app-after_sales]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        return page;
    }

    private async Task OpenAsync(IPage page, string path, string ready)
    {
        await page.GotoAsync(new Uri(platform.ServerAddress, path).ToString());
        await Assertions.Expect(page.Locator($"{ready}[data-interactive=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
    }

    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    private static async Task ConfirmAsync(IPage page, string button)
    {
        var confirm = page.Locator(".mud-dialog .mud-button").Filter(new LocatorFilterOptions { HasText = button }).Last;
        await confirm.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
    }

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 7)];

    [Fact]
    public async Task UsersPage_CreatesEditsResetsAndDeactivates_AsAdmin()
    {
        using var admin = await platform.ClientForAsync("admin");
        var role = Unique("ui_role");
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/admin/roles", new { key = role, name = "界面测试角色" }), HttpStatusCode.Created);
        var userName = Unique("ui_user");
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser);
            await Assertions.Expect(page.Locator("[data-testid=nav-admin]")).ToBeVisibleAsync();
            await OpenAsync(page, "/admin/users", "[data-testid=user-filters]");
            await Assertions.Expect(page.Locator("[data-testid=user-row-cs01]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-department-cs01]")).ToHaveTextAsync("总部 / 客服中心 / 客服一组（华东）");
            await Browser.ScreenshotAsync(page, "admin-users", fullPage: false);

            // Filter by the customer service centre, sub-departments included: the agents of both teams and their supervisor.
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=user-filter-department]"), "cs_center");
            await Assertions.Expect(page.Locator("[data-testid=user-row-cs02]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-row-wh01]")).ToHaveCountAsync(0);

            // Create: role multi-select and the department tree picker.
            await page.ClickAsync("[data-testid=user-new]");
            await Assertions.Expect(page.Locator("[data-testid=user-dialog]")).ToBeVisibleAsync();
            await Input(page, "user-userName").FillAsync(userName);
            await Input(page, "user-displayName").FillAsync("界面新用户");
            await Input(page, "user-password").FillAsync("short");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=user-department]"), "cs_south");
            await page.Locator("[data-testid=user-roles]").ClickAsync(new LocatorClickOptions { Force = true });
            await page.Locator($".mud-popover-open [data-testid=user-role-{role}]").ClickAsync();
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
            await page.ClickAsync("[data-testid=user-save]");
            await Assertions.Expect(page.Locator("[data-testid=user-dialog]")).ToContainTextAsync("至少 8 个字符");
            await Input(page, "user-password").FillAsync("ui-pass-123");
            await page.ClickAsync("[data-testid=user-save]");
            await Assertions.Expect(page.Locator("[data-testid=user-dialog]")).ToHaveCountAsync(0);
            await Input(page, "user-search").FillAsync(userName);
            await Assertions.Expect(page.Locator("[data-testid=user-table] tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator($"[data-testid=user-department-{userName}]")).ToContainTextAsync("客服二组");
            await Assertions.Expect(page.Locator($"[data-testid=user-roles-{userName}]")).ToContainTextAsync("界面测试角色");

            // Edit: another department (the dialog says records stay where they are).
            await FormDesignerPageTests.ClickUntilAsync(page, $"[data-testid=user-edit-{userName}]", "[data-testid=user-dialog]");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=user-department]"), "cs_east");
            await Assertions.Expect(page.Locator("[data-testid=user-dialog]")).ToContainTextAsync("不会移动此用户已创建的记录");
            await page.ClickAsync("[data-testid=user-save]");
            await Assertions.Expect(page.Locator($"[data-testid=user-department-{userName}]")).ToContainTextAsync("客服一组");

            // Reset the password, then deactivate.
            await page.ClickAsync($"[data-testid=user-password-{userName}]");
            await Input(page, "password-new").FillAsync("ui-pass-456");
            await Input(page, "password-again").FillAsync("ui-pass-456");
            await page.ClickAsync("[data-testid=password-save]");
            await Assertions.Expect(page.Locator("[data-testid=password-dialog]")).ToHaveCountAsync(0);
            await page.ClickAsync($"[data-testid=user-deactivate-{userName}]");
            await ConfirmAsync(page, "停用");
            await Assertions.Expect(page.Locator($"[data-testid=user-status-{userName}]")).ToHaveTextAsync("已停用");

            var stored = await platform.ScalarAsync<string>("select department || ':' || is_active::text || ':' || array_to_string(roles, ',') from users where user_name = $1", userName);
            Assert.Equal($"cs_east:false:{role}", stored);
            using var anonymous = platform.Anonymous();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password = "ui-pass-456" })).StatusCode);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, nameof(UsersPage_CreatesEditsResetsAndDeactivates_AsAdmin));
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task DepartmentsPage_AddsRenamesMovesAndDeletes_AsAdmin()
    {
        var key = Unique("ui_dept");
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser);
            await OpenAsync(page, "/admin/departments", "[data-testid=department-tree]");
            await Assertions.Expect(page.Locator("[data-testid=department-name-cs_east]")).ToHaveTextAsync("客服一组（华东）");
            await Assertions.Expect(page.Locator("[data-testid=department-users-field_service]")).ToContainTextAsync("20");
            await Browser.ScreenshotAsync(page, "admin-departments");

            // Add a child of the customer service centre.
            await page.ClickAsync("[data-testid=department-add-cs_center]");
            await Input(page, "department-key").FillAsync(key);
            await Input(page, "department-name").FillAsync("客服三组");
            await page.ClickAsync("[data-testid=department-save]");
            await Assertions.Expect(page.Locator($"[data-testid=department-name-{key}]")).ToHaveTextAsync("客服三组");
            Assert.Equal("cs_center", await platform.ScalarAsync<string>("select parent_key from departments where key = $1", key));

            await page.ClickAsync($"[data-testid=department-rename-{key}]");
            await Input(page, "department-name").FillAsync("客服三组（华北）");
            await page.ClickAsync("[data-testid=department-save]");
            await Assertions.Expect(page.Locator($"[data-testid=department-name-{key}]")).ToHaveTextAsync("客服三组（华北）");

            // Move: the department itself cannot be its own parent; pick the warehouse instead.
            await page.ClickAsync($"[data-testid=department-move-{key}]");
            await page.Locator("[data-testid=move-parent]").ClickAsync(new LocatorClickOptions { Force = true });
            await Assertions.Expect(page.Locator($".mud-popover-open .mud-list-item:has([data-testid=move-parent-{key}])")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-list-item-disabled"));
            await page.Locator(".mud-popover-open [data-testid=move-parent-warehouse]").ClickAsync();
            await page.ClickAsync("[data-testid=move-save]");
            await Assertions.Expect(page.Locator("[data-testid=move-dialog]")).ToHaveCountAsync(0);
            Assert.Equal("warehouse", await platform.ScalarAsync<string>("select parent_key from departments where key = $1", key));
            await Assertions.Expect(page.Locator($"[data-testid=department-{key}]")).ToBeVisibleAsync();

            // A department with people stays; an empty one goes.
            await page.ClickAsync("[data-testid=department-delete-cs_east]");
            await ConfirmAsync(page, "删除");
            await Assertions.Expect(page.Locator(".mud-snackbar.mud-alert-filled-error")).ToContainTextAsync("不能删除");
            await page.ClickAsync($"[data-testid=department-delete-{key}]");
            await ConfirmAsync(page, "删除");
            await Assertions.Expect(page.Locator($"[data-testid=department-{key}]")).ToHaveCountAsync(0);
            Assert.Equal(0L, await platform.CountAsync("select count(*) from departments where key = $1", key));
            Assert.Equal(1L, await platform.CountAsync("select count(*) from departments where key = 'cs_east'"));
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, nameof(DepartmentsPage_AddsRenamesMovesAndDeletes_AsAdmin));
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task PermissionsPage_ShowsEachRolesScopes_AndRolesPageLinksToIt()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser);
            await OpenAsync(page, "/admin/roles", "[data-testid=role-table]");
            await Assertions.Expect(page.Locator("[data-testid=role-row-customer_service]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=role-delete-admin]")).ToBeDisabledAsync();
            await page.ClickAsync("[data-testid=permissions-after_sales]");
            await Assertions.Expect(page.Locator("[data-testid=permissions-page][data-interactive=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });

            var cell = page.Locator("[data-testid=cell-return_request-customer_service]");
            await Assertions.Expect(cell.Locator("[data-scope]").First).ToHaveAttributeAsync("data-scope", "department");
            await Assertions.Expect(page.Locator("[data-testid=cell-service_request-engineer] [data-scope]").First).ToHaveAttributeAsync("data-scope", "own");
            await Assertions.Expect(page.Locator("[data-testid=grant-service_request-service_provider]")).ToContainTextAsync("隐藏");
            await Browser.ScreenshotAsync(page, "admin-permissions", fullPage: false);
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, nameof(PermissionsPage_ShowsEachRolesScopes_AndRolesPageLinksToIt));
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task PermissionsPage_PublishesEditedGrants_AndKeepsTheFormDraft()
    {
        using var admin = await platform.ClientForAsync("admin");
        var appKey = Unique("perm_ui");
        var package = System.Text.Json.Nodes.JsonNode.Parse($$"""
            {
              "format": "platform-app", "formatVersion": 1,
              "app": { "key": "{{appKey}}", "name": "权限编辑测试" },
              "entities": [ { "key": "ticket", "label": "工单", "fields": [
                { "key": "title", "type": "text", "label": "标题" }, { "key": "secret", "type": "text", "label": "内部备注" } ],
                "permissions": [ { "role": "customer_service", "read": "own" } ] } ]
            }
            """)!;
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.Created);
        var draft = package["entities"]![0]!.DeepClone().AsObject();
        draft["label"] = "工单（草稿）";
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/apps/{appKey}/drafts/entity/ticket", draft)).StatusCode);
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser);
            await OpenAsync(page, $"/admin/apps/{appKey}/permissions", "[data-testid=permissions-page]");
            await page.ClickAsync("[data-testid=edit-permissions-ticket]");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=edit-read-0]"), "本部门");
            await page.ClickAsync("[data-testid=edit-create-0]");
            await page.ClickAsync("[data-testid=edit-fields-0]");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=edit-field-0-secret]"), "隐藏");
            await page.ClickAsync("[data-testid=edit-add-role]");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=edit-role-1]"), "supervisor");
            await DesignerPage.PickAsync(page, page.Locator("[data-testid=edit-update-1]"), "全部");
            await Browser.ScreenshotAsync(page, "admin-permissions-edit", fullPage: false);
            await page.ClickAsync("[data-testid=permission-publish]");
            await Assertions.Expect(page.Locator("[data-testid=permission-editor-ticket]")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=cell-ticket-customer_service] [data-scope]").First).ToHaveAttributeAsync("data-scope", "department");
            await Assertions.Expect(page.Locator("[data-testid=grant-ticket-supervisor]")).ToBeVisibleAsync();

            var published = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/apps/{appKey}"))!["entities"]![0]!["permissions"]!.AsArray();
            Assert.Equal("department", published[0]!["read"]!.GetValue<string>());
            Assert.True(published[0]!["create"]!.GetValue<bool>());
            Assert.Equal("hidden", published[0]!["fields"]!["secret"]!.GetValue<string>());
            Assert.Equal("supervisor", published[1]!["role"]!.GetValue<string>());
            Assert.Equal("all", published[1]!["update"]!.GetValue<string>());

            // The analyst's unpublished form draft is still there, now with the published permissions.
            var kept = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/apps/{appKey}/drafts/entity/ticket"))!["body"]!;
            Assert.Equal("工单（草稿）", kept["label"]!.GetValue<string>());
            Assert.Equal("department", kept["permissions"]![0]!["read"]!.GetValue<string>());
        }
        catch
        {
            await Browser.FailureScreenshotAsync(browser, nameof(PermissionsPage_PublishesEditedGrants_AndKeepsTheFormDraft));
            throw;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task AdminPages_AreNotOffered_ToNonAdmins()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignInAsync(browser, "sup01");
            await Assertions.Expect(page.Locator("[data-testid=nav-inbox]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=nav-admin]")).ToHaveCountAsync(0);
            await page.GotoAsync(new Uri(platform.ServerAddress, "/admin/users").ToString());
            await page.WaitForURLAsync("**/denied**");
            await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToContainTextAsync("没有权限");
            await Assertions.Expect(page.Locator("[data-testid=user-table]")).ToHaveCountAsync(0);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
