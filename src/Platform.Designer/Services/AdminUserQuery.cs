namespace Platform.Designer.Services;

/// <summary>The user list's search: text, a department (with those below it when <see cref="Below"/>), a role, active or not, and the page (from 1).</summary>
public sealed record AdminUserQuery(string? Text, string? Department, bool Below, string? Role, bool? Active, int Page, int PageSize);
