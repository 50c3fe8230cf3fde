namespace Platform.Runtime.Api;

/// <summary>A user as administrators see it: <c>{ userName, displayName, roles, isActive, failedLogins, lockedUntil }</c>.</summary>
public sealed record UserAdminDto(
    string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Phone, string? Email, bool IsActive, int FailedLogins, DateTimeOffset? LockedUntil);
