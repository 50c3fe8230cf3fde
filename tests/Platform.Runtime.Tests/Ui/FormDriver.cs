using Microsoft.Playwright;

namespace Platform.Runtime.Tests.Ui;

/// <summary>Drives the generated record form (RecordForm) by its data-testid attributes.</summary>
internal static class FormDriver
{
    public static ILocator Field(IPage page, string path) => page.Locator($"[data-testid='field-{path}']");

    public static async Task WaitReadyAsync(IPage page) =>
        await Assertions.Expect(page.Locator("[data-testid=record-form]")).ToHaveAttributeAsync("data-ready", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });

    /// <summary>Types into a text-like input and leaves it (the form takes text on blur).</summary>
    public static async Task FillAsync(IPage page, string path, string text)
    {
        var input = Field(page, path).Locator("input, textarea").First;
        await input.FillAsync(text);
        await input.PressAsync("Tab");
    }

    /// <summary>Picks the option with this text: in the native select of a select field, else in a MudSelect's list.</summary>
    public static async Task SelectAsync(IPage page, string path, string optionText)
    {
        var native = Field(page, path).Locator("select");
        if (await native.CountAsync() > 0)
        {
            await native.First.SelectOptionAsync(new SelectOptionValue { Label = optionText });
            return;
        }

        await Field(page, path).Locator(".mud-select .mud-input-control").First.ClickAsync();
        var option = page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextString = optionText }).First;
        await option.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    public static async Task<bool> ScrollsHorizontallyAsync(IPage page, int width) =>
        await page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)") > width;

    /// <summary>Types into an autocomplete (reference, user or lookup picker) and picks the suggestion with this text.</summary>
    public static async Task PickAsync(ILocator scope, string search, string optionText)
    {
        var input = scope.Locator("input").First;
        await input.ClickAsync();
        await input.FillAsync(search);
        var option = scope.Page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextString = optionText }).First;
        await option.ClickAsync();
        await Assertions.Expect(input).ToHaveValueAsync(optionText);
    }
}
