namespace Platform.Runtime.Execution.Organisation;

/// <summary>A role to create.</summary>
public sealed record NewOrgRole
{
    public string? Key { get; init; }

    public string? Name { get; init; }

    public string? NameEn { get; init; }

    public string? Description { get; init; }

    public bool External { get; init; }
}
