namespace Platform.Core.Flows.Definitions;

/// <summary>An edge of the flow. Edges leaving a gateway carry a condition or are its default.</summary>
public sealed record FlowTransition
{
    public required string From { get; init; }

    public required string To { get; init; }

    /// <summary>An expression over the record (gateway edges).</summary>
    public string? Condition { get; init; }

    /// <summary>The gateway's default branch, taken when no condition holds.</summary>
    public bool IsDefault { get; init; }

    public string? Label { get; init; }
}
