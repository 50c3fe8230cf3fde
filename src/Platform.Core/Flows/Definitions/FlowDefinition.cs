namespace Platform.Core.Flows.Definitions;

/// <summary>
/// A flow bound to an entity: steps (the nodes of the diagram) and transitions (its edges). Immutable; publishing
/// creates a new <see cref="Version"/>, and an instance keeps the version it started with.
/// </summary>
public sealed record FlowDefinition
{
    /// <summary>Stable snake_case key, e.g. <c>return_flow</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Display name (zh-CN first).</summary>
    public required string Name { get; init; }

    public string? NameEn { get; init; }

    /// <summary>The entity whose records start this flow.</summary>
    public required string Entity { get; init; }

    /// <summary>Published version of this flow, starting at 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>When the flow starts: <c>create</c> (the record is created) or <c>manual</c>.</summary>
    public string StartOn { get; init; } = "create";

    /// <summary>Optional expression over the record; the flow starts only when it is true.</summary>
    public string? StartWhen { get; init; }

    /// <summary>A field of the entity the flow writes each step's <see cref="FlowStep.RecordStatus"/> into.</summary>
    public string? StatusField { get; init; }

    /// <summary>Written into the status field when the flow ends rejected.</summary>
    public string? RejectedRecordStatus { get; init; }

    /// <summary>The business calendar deadlines count on (a key of the platform's calendars).</summary>
    public string? Calendar { get; init; }

    /// <summary>A group robot that also gets the flow's staff notifications (new tasks, overdue warnings), or null.</summary>
    public FlowRobot? Robot { get; init; }

    public IReadOnlyList<FlowStep> Steps { get; init; } = [];

    public IReadOnlyList<FlowTransition> Transitions { get; init; } = [];

    /// <summary>Finds a step by key, or null.</summary>
    public FlowStep? FindStep(string key) => Steps.FirstOrDefault(s => s.Key == key);

    /// <summary>The transitions leaving a step, in definition order.</summary>
    public IEnumerable<FlowTransition> Outgoing(string step) => Transitions.Where(t => t.From == step);

    /// <summary>The transitions entering a step.</summary>
    public IEnumerable<FlowTransition> Incoming(string step) => Transitions.Where(t => t.To == step);
}
