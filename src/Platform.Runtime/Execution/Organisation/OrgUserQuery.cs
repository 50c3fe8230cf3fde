namespace Platform.Runtime.Execution.Organisation;

/// <summary>Which users to list: text in the user name, display name, phone or e-mail; a department (and, with <see cref="Below"/>, those under it); a role; active or not.</summary>
public sealed record OrgUserQuery
{
    public string? Text { get; init; }

    public string? Department { get; init; }

    /// <summary>Also users of the departments below <see cref="Department"/>.</summary>
    public bool Below { get; init; }

    public string? Role { get; init; }

    public bool? Active { get; init; }

    /// <summary>From 1.</summary>
    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 50;
}
