namespace Platform.Runtime.Api;

/// <summary><c>{ token, expiresAt, userName, displayName, roles }</c>.</summary>
public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, string UserName, string DisplayName, IReadOnlyList<string> Roles);
