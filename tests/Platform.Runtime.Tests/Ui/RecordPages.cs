using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Ui;

/// <summary>Helpers of the record, inbox and tracking page tests: sign in, pick from MudBlazor selects, read the API.</summary>
internal static class RecordPages
{
    public static async Task<IPage> SignInAsync(IBrowser browser, PlatformFixture platform, string user, int width = 1440, int height = 1000)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN" });
        page.PageError += (_, e) => Console.WriteLine("[page error] " + e);
        page.Response += (_, r) => { if (r.Status >= 500) Console.WriteLine($"[browser] {r.Status} {r.Url}"); };
        await page.GotoAsync(new Uri(platform.ServerAddress, "/login").ToString());
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", "demo1234");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        return page;
    }

    /// <summary>Opens the MudSelect (or autocomplete) under <paramref name="testId"/> and clicks the option with that text.</summary>
    public static async Task PickAsync(IPage page, string testId, string option)
    {
        var select = page.Locator($"[data-testid={testId}]").First;
        for (var attempt = 0; ; attempt++)
        {
            await select.ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextString = option }).First.ClickAsync();
            try
            {
                // The select shows the picked option once the circuit took it (a busy machine may drop an early click).
                await page.WaitForFunctionAsync(
                    """
                    ([id, text]) => [...document.querySelectorAll(`[data-testid=${id}]`)]
                      .map(e => e.closest('.mud-select') ?? e)
                      .some(root => [...root.querySelectorAll('input'), ...(root.matches('input') ? [root] : [])].some(i => (i.value ?? '').includes(text)) || root.textContent.includes(text))
                    """,
                    new object[] { testId, option },
                    new PageWaitForFunctionOptions { Timeout = 3_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 2)
            {
                await page.Keyboard.PressAsync("Escape");
            }
        }
    }

    public static async Task<JsonObject> GetAsync(PlatformFixture platform, string user, string url)
    {
        using var client = await platform.ClientForAsync(user);
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonArray> GetArrayAsync(PlatformFixture platform, string user, string url)
    {
        using var client = await platform.ClientForAsync(user);
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    /// <summary>The record ids the page's list shows, in order.</summary>
    public static async Task<IReadOnlyList<string>> RowIdsAsync(IPage page) =>
        await page.Locator("[data-testid=record-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

    /// <summary>The first row of a query as (first column, second column).</summary>
    public static async Task<(Guid First, Guid Second)> FirstAsync(this PlatformFixture platform, string sql, params object[] args)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = arg });
        }

        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the demo data should have such a row: " + sql);
        return (reader.GetGuid(0), reader.GetGuid(1));
    }

    public static async Task<string?> ScalarAsync(this PlatformFixture platform, string sql, params object[] args)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = arg });
        }

        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task WithBrowserAsync(Func<IBrowser, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            await test(browser);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
