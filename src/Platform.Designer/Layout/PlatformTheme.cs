using MudBlazor;

namespace Platform.Designer.Layout;

/// <summary>The platform's MudBlazor theme.</summary>
public static class PlatformTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1d4ed8",
            Secondary = "#0f766e",
            AppbarBackground = "#1d4ed8",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Helvetica", "Arial", "sans-serif"],
            },
        },
    };
}
