using Platform.Designer.Services;

namespace Platform.Designer.Components.Admin;

/// <summary>A department at its place in the tree (depth 0 at the top).</summary>
public sealed record DepartmentTreeEntry(AdminDepartmentView Department, int Depth);
