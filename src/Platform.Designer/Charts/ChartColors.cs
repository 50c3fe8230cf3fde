using System.Text;

namespace Platform.Designer.Charts;

/// <summary>
/// Colours of chart series and slices chosen by their key, so a key keeps its colour when a viewer filter changes which
/// keys a chart shows: a select option's own colour, else its place among its field's options, else a stable hash of
/// the key into the palette.
/// </summary>
public static class ChartColors
{
    /// <summary>The platform's chart palette.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1677ff", "#52c41a", "#faad14", "#f5222d", "#722ed1", "#13c2c2", "#eb2f96", "#fa8c16", "#2f54eb", "#a0d911", "#fadb14", "#8c8c8c"];

    /// <summary>
    /// A colour for each option of a select field: its own colour when it names one, else the palette's colours in option
    /// order, skipping those the field's own colours already take. Depends only on the field, never on the data shown.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForOptions(IEnumerable<(string Value, string? Color)> options)
    {
        var list = options.ToList();
        var taken = new HashSet<string>(list.Where(o => !string.IsNullOrWhiteSpace(o.Color)).Select(o => o.Color!), StringComparer.OrdinalIgnoreCase);
        var free = Palette.Where(c => !taken.Contains(c)).ToList();
        if (free.Count == 0)
        {
            free = [.. Palette];
        }

        var colors = new Dictionary<string, string>(StringComparer.Ordinal);
        var next = 0;
        foreach (var (value, color) in list)
        {
            colors.TryAdd(value, string.IsNullOrWhiteSpace(color) ? free[next++ % free.Count] : color!);
        }

        return colors;
    }

    /// <summary>
    /// The colours of one chart's items, in their order: an item's given colour, else its key hashed into the palette.
    /// A hashed key never moves to dodge another one: two keys may share a colour, but a key's colour never depends on
    /// which other keys the chart shows. Callers that know a key's whole set (a field's options, a flow's steps, a
    /// report's measures) give colours by place with <see cref="ForOptions"/> or <see cref="ByPlace"/> instead.
    /// </summary>
    public static IReadOnlyList<string> Assign(IReadOnlyList<(string Key, string? Color)> items) =>
        items.Select(x => string.IsNullOrWhiteSpace(x.Color) ? Palette[(int)(Hash(x.Key) % (uint)Palette.Count)] : x.Color!).ToList();

    /// <summary>A colour for each key of a fixed, ordered set by its place in the set (distinct up to the palette's size).</summary>
    public static IReadOnlyDictionary<string, string> ByPlace(IEnumerable<string> keys) => ForOptions(keys.Select(k => (k, (string?)null)));

    // FNV-1a: string.GetHashCode differs between processes, and a colour must not change on a restart.
    private static uint Hash(string key)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
