namespace Platform.Core.Flows.Runtime;

/// <summary>A message to users and role holders (in-app, and e-mail when configured).</summary>
public sealed record FlowNotification
{
    public IReadOnlyList<string> Users { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>task, cc, remind, escalate, urge, result.</summary>
    public required string Kind { get; init; }

    public required string Title { get; init; }

    public string? Body { get; init; }

    public Guid? TaskId { get; init; }

    public required string Step { get; init; }
}
