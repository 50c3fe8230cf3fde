namespace Platform.Designer.Services;

/// <summary>The user dialog's values (the user name is fixed once created).</summary>
public sealed record AdminUserInput(
    string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Department, string? Phone, string? Email, bool External);
