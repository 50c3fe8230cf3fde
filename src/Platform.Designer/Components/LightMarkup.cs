using System.Collections.Concurrent;
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
    public static MarkupString Icon(string icon, string size = "medium", string? extraClass = null)
    {
        // One string per icon for the process: built per render, every open tab kept its own copies in its render tree.
        var key = (icon, size, extraClass);
        if (IconCache.TryGetValue(key, out var cached))
        {
            return new(cached);
        }

        var markup = BuildIcon(icon, size, extraClass);
        if (IconCache.Count < 1024)
        {
            IconCache.TryAdd(key, markup);
        }

        return new(markup);
    }

    private static readonly ConcurrentDictionary<(string Icon, string Size, string? Extra), string> IconCache = new();

    private static string BuildIcon(string icon, string size, string? extraClass) =>
        $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{size}{(extraClass is null ? string.Empty : " " + extraClass)}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg>";

    /// <summary>
    /// One shared instance of a class (or other attribute) string built from a few options: the built strings are kept
    /// in every open tab's render tree, the shared one once for the process.
    /// </summary>
    public static string Shared(string value)
    {
        if (SharedCache.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return SharedCache.Count < 4096 ? SharedCache.GetOrAdd(value, value) : value;
    }

    private static readonly ConcurrentDictionary<string, string> SharedCache = new(StringComparer.Ordinal);

    /// <summary>The icon as MudNavLink draws it in front of its text.</summary>
    public static MarkupString NavIcon(string icon) => Icon(icon, "medium", "mud-icon-default mud-nav-link-icon mud-nav-link-icon-default");
}
