namespace Platform.Designer.Services;

/// <summary>A user in the administration list.</summary>
public sealed record AdminUserView(
    string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Department, string? DepartmentName, string? DepartmentNameEn,
    bool Active, bool External, string? Phone, string? Email, DateTimeOffset CreatedAt);
