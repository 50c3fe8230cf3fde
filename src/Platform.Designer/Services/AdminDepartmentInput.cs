namespace Platform.Designer.Services;

/// <summary>A new department under <see cref="ParentKey"/> (null: top level).</summary>
public sealed record AdminDepartmentInput(string Key, string Name, string? NameEn, string? ParentKey);
