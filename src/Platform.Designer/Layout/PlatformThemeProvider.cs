using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;
using MudBlazor;

namespace Platform.Designer.Layout;

/// <summary>
/// MudThemeProvider with the platform's theme, its CSS built once for the process: MudThemeProvider builds its ~25 KB
/// <c>&lt;style&gt;</c> string per instance, so every open tab kept its own copy. It also does not watch the system's
/// dark-mode preference (the platform never switches to a dark palette, and the theme is only ever light; the watch held a .NET object reference and its
/// serializer metadata per circuit).
/// </summary>
public sealed class PlatformThemeProvider : MudThemeProvider
{
    private static string? css;

    /// <summary>Sets the fixed parameters before MudBlazor reads them.</summary>
    public PlatformThemeProvider()
    {
        Theme = PlatformTheme.Theme;
        ObserveSystemDarkModeChange = false;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        css ??= Capture();
        if (css.Length == 0)
        {
            base.BuildRenderTree(builder);
            return;
        }

        builder.AddMarkupContent(0, css);
    }

    // The markup MudThemeProvider renders, when it is markup only (else nothing is cached and it renders as usual). The
    // frame types are Blazor's internals; the capture only reads them and falls back when they are not what it expects.
#pragma warning disable BL0006
    private string Capture()
    {
        var capture = new RenderTreeBuilder();
        base.BuildRenderTree(capture);
        var frames = capture.GetFrames();
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames.Array[i];
            if (frame.FrameType != RenderTreeFrameType.Markup)
            {
                return string.Empty;
            }

            text.Append(frame.MarkupContent);
        }

        return text.ToString();
    }
#pragma warning restore BL0006
}
