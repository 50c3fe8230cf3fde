namespace Platform.Core.Flows.Definitions;

/// <summary>
/// Who a step's tasks go to: named users, holders of roles, members of departments, the user named by a
/// user field of the record, or an expression returning a user name or a list of them. All sources add up.
/// </summary>
public sealed record AssigneeSpec
{
    public IReadOnlyList<string> Users { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyList<string> Departments { get; init; } = [];

    /// <summary>A field of the record holding a user name (a user field, or the flow's initiator via <c>$initiator</c>).</summary>
    public string? UserField { get; init; }

    /// <summary>An expression over the record returning a user name or an array of user names.</summary>
    public string? Expression { get; init; }

    /// <summary>True when no source is given at all.</summary>
    public bool IsEmpty => Users.Count == 0 && Roles.Count == 0 && Departments.Count == 0 && UserField is null && Expression is null;
}
