using Platform.Runtime.Execution.Organisation;

namespace Platform.Runtime.Api;

/// <summary>A department in the tree answer of <c>GET /api/admin/departments</c>: its users (active or not) and children.</summary>
public sealed record DepartmentNodeDto(string Key, string Name, string? NameEn, string? ParentKey, int Sort, long UserCount, IReadOnlyList<DepartmentNodeDto> Children)
{
    /// <summary>The forest of departments: roots first, siblings by sort then key; departments whose parent is missing (or in a cycle) become roots.</summary>
    public static IReadOnlyList<DepartmentNodeDto> Tree(IReadOnlyList<OrgDepartment> departments)
    {
        var keys = departments.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var byParent = departments.ToLookup(d => d.ParentKey is { } p && keys.Contains(p) ? p : null);
        var placed = new HashSet<string>(StringComparer.Ordinal);

        IReadOnlyList<DepartmentNodeDto> Level(string? parent) =>
            byParent[parent].Where(d => placed.Add(d.Key))
                .Select(d => new DepartmentNodeDto(d.Key, d.Name, d.NameEn, d.ParentKey, d.Sort, d.UserCount, Level(d.Key))).ToList();

        var roots = Level(null).ToList();

        // A cycle in data written before moves were checked: show its members at the top rather than lose them.
        foreach (var d in departments.Where(d => !placed.Contains(d.Key)))
        {
            if (placed.Add(d.Key))
            {
                roots.Add(new DepartmentNodeDto(d.Key, d.Name, d.NameEn, d.ParentKey, d.Sort, d.UserCount, Level(d.Key)));
            }
        }

        return roots;
    }
}
