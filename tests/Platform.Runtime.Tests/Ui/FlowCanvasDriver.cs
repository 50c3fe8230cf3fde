using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Platform.Runtime.Tests.Ui;

/// <summary>Drives the flow designer's x6 canvas with the mouse, as a person does (x6's Dnd and port dragging follow mouse events).</summary>
internal static class FlowCanvasDriver
{
    /// <summary>Presses a palette item and drags it to (x, y) of the canvas; the new step is then selected.</summary>
    public static async Task DropAsync(IPage page, string type, float x, float y)
    {
        var item = await page.Locator($"[data-testid=palette-{type}]").BoundingBoxAsync();
        var canvas = await page.Locator("[data-testid=flow-canvas]").BoundingBoxAsync();
        await page.Mouse.MoveAsync(item!.X + (item.Width / 2), item.Y + (item.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(canvas!.X + (x / 2), canvas.Y + (y / 2), new MouseMoveOptions { Steps = 5 });
        await page.Mouse.MoveAsync(canvas.X + x, canvas.Y + y, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator("[data-testid=step-properties]")).ToHaveAttributeAsync("data-step", new Regex($"^{type}_"));
    }

    /// <summary>Drags from the source node's right port onto the target node.</summary>
    public static async Task ConnectAsync(IPage page, string from, string to)
    {
        var edges = await page.Locator(".x6-edge").CountAsync();
        await page.Locator($"[data-cell-id={from}]").HoverAsync();
        var port = await page.Locator($"[data-cell-id={from}] .x6-port-body[port-group=right]").BoundingBoxAsync();
        var target = await page.Locator($"[data-cell-id={to}]").BoundingBoxAsync();
        await page.Mouse.MoveAsync(port!.X + (port.Width / 2), port.Y + (port.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(target!.X + 10, target.Y + (target.Height / 2), new MouseMoveOptions { Steps = 8 });
        await page.Mouse.MoveAsync(target.X + (target.Width / 2), target.Y + (target.Height / 2), new MouseMoveOptions { Steps = 4 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(edges + 1);
    }
}
