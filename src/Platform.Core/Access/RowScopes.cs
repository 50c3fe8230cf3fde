namespace Platform.Core.Access;

/// <summary>The stable metadata names of <see cref="RowScope"/> (<c>none</c>, <c>own</c>, <c>department</c>, <c>department_tree</c>, <c>all</c>).</summary>
public static class RowScopes
{
    public const string None = "none";
    public const string Own = "own";
    public const string Department = "department";
    public const string DepartmentTree = "department_tree";
    public const string All = "all";

    /// <summary>Every name, narrowest first.</summary>
    public static readonly IReadOnlyList<string> Names = [None, Own, Department, DepartmentTree, All];

    /// <summary>Parses a metadata name; null or empty is <paramref name="empty"/>.</summary>
    public static bool TryParse(string? name, RowScope empty, out RowScope scope)
    {
        scope = name switch
        {
            null or "" => empty,
            None => RowScope.None,
            Own => RowScope.Own,
            Department => RowScope.Department,
            DepartmentTree => RowScope.DepartmentTree,
            All => RowScope.All,
            _ => (RowScope)(-1),
        };
        return (int)scope >= 0;
    }

    public static string Name(RowScope scope) => Names[(int)scope];
}
