namespace Platform.Runtime.Execution.Organisation;

/// <summary>A user an administrator creates.</summary>
public sealed record NewOrgUser
{
    public string? UserName { get; init; }

    public string? DisplayName { get; init; }

    public string? Password { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public string? Department { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public bool External { get; init; }
}
