namespace Platform.Designer.Services;

/// <summary>A user the designer can assign a step to.</summary>
public sealed record DirectoryUser(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Department);
