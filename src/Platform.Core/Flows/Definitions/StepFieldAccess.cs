namespace Platform.Core.Flows.Definitions;

/// <summary>Field permissions at one step: fields not listed keep the entity's defaults (read-only for task holders).</summary>
public sealed record StepFieldAccess
{
    /// <summary>Fields the assignee may change with their action.</summary>
    public IReadOnlyList<string> Editable { get; init; } = [];

    /// <summary>Fields shown but not editable.</summary>
    public IReadOnlyList<string> ReadOnly { get; init; } = [];

    /// <summary>Fields the assignee does not see.</summary>
    public IReadOnlyList<string> Hidden { get; init; } = [];

    /// <summary>Editable fields the assignee must fill before approving.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];
}
