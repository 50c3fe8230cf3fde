using Microsoft.AspNetCore.Components;

namespace Platform.Designer.Components;

/// <summary>
/// MudBlazor's markup for static pieces (icons, link buttons) as plain markup: on screens every tab keeps open, a
/// MudIcon or MudButton per link holds a component, its parameter state and two render buffers for the life of the
/// circuit, where the same classes in markup hold one frame.
/// </summary>
public static class LightMarkup
{
    /// <summary>An SVG icon with MudIcon's classes (<paramref name="icon"/> is a MudBlazor <c>Icons.*</c> string).</summary>
    public static MarkupString Icon(string icon, string size = "medium", string? extraClass = null) =>
        new($"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{size}{(extraClass is null ? string.Empty : " " + extraClass)}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg>");

    /// <summary>The icon as MudNavLink draws it in front of its text.</summary>
    public static MarkupString NavIcon(string icon) => Icon(icon, "medium", "mud-icon-default mud-nav-link-icon mud-nav-link-icon-default");
}
