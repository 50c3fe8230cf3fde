using Platform.Designer.Services;

namespace Platform.Designer.Components.Admin;

/// <summary>
/// The flat department list as a tree: entries in display order (parents before children, siblings by sort then key)
/// with their depth, and each department's path and descendants. Departments whose parent is missing, or that sit in a
/// cycle, are shown at the top so none is lost.
/// </summary>
public sealed class DepartmentTree
{
    private readonly Dictionary<string, AdminDepartmentView> byKey;
    private readonly ILookup<string?, AdminDepartmentView> byParent;

    public DepartmentTree(IReadOnlyList<AdminDepartmentView> departments)
    {
        byKey = departments.GroupBy(d => d.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        byParent = byKey.Values.OrderBy(d => d.Sort).ThenBy(d => d.Key, StringComparer.Ordinal)
            .ToLookup(d => d.ParentKey is { } p && byKey.ContainsKey(p) ? p : null);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<DepartmentTreeEntry>();
        Walk(null, 0, placed, entries);
        foreach (var d in byKey.Values.OrderBy(d => d.Sort).ThenBy(d => d.Key, StringComparer.Ordinal).Where(d => !placed.Contains(d.Key)).ToList())
        {
            if (placed.Add(d.Key))
            {
                entries.Add(new DepartmentTreeEntry(d, 0));
                Walk(d.Key, 1, placed, entries);
            }
        }

        Entries = entries;
    }

    /// <summary>Every department in display order with its depth (0 at the top).</summary>
    public IReadOnlyList<DepartmentTreeEntry> Entries { get; }

    public AdminDepartmentView? Find(string? key) => key is not null && byKey.TryGetValue(key, out var d) ? d : null;

    /// <summary>The direct children in display order (null: the top level).</summary>
    public IReadOnlyList<AdminDepartmentView> ChildrenOf(string? key) => byParent[key].ToList();

    /// <summary>The department and everything below it.</summary>
    public IReadOnlySet<string> SelfAndBelow(string key)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([key]);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            if (result.Add(next))
            {
                foreach (var child in byParent[next])
                {
                    queue.Enqueue(child.Key);
                }
            }
        }

        return result;
    }

    /// <summary>The names from the top down to the department, e.g. 总部 / 客服中心 / 客服一组.</summary>
    public string PathOf(string? key, Func<AdminDepartmentView, string> name)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var d = Find(key); d is not null && seen.Add(d.Key); d = Find(d.ParentKey))
        {
            names.Add(name(d));
        }

        names.Reverse();
        return string.Join(" / ", names);
    }

    private void Walk(string? parent, int depth, HashSet<string> placed, List<DepartmentTreeEntry> entries)
    {
        foreach (var d in byParent[parent])
        {
            if (placed.Add(d.Key))
            {
                entries.Add(new DepartmentTreeEntry(d, depth));
                Walk(d.Key, depth + 1, placed, entries);
            }
        }
    }
}
