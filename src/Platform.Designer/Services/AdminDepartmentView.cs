namespace Platform.Designer.Services;

/// <summary>A department with its users (active or not) and direct child departments.</summary>
public sealed record AdminDepartmentView(string Key, string Name, string? NameEn, string? ParentKey, int Sort, long UserCount, long ChildCount);
