namespace Platform.Designer.Services;

/// <summary>A role with the number of users (active or not) holding it; built-in roles (admin, designer) cannot be deleted.</summary>
public sealed record AdminRoleView(string Key, string Name, string? NameEn, string? Description, bool External, long UserCount, bool BuiltIn);
