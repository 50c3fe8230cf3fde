namespace Platform.Core.Flows;

/// <summary>One step a dry run passed: its key, type, name, who got tasks and how they decided.</summary>
public sealed record SimulatedStep(string Step, string Type, string Name, List<string> Assignees)
{
    public List<string> Decisions { get; } = [];

    /// <summary>How the step was reached when not by a decision (timer).</summary>
    public string? Via { get; init; }
}
