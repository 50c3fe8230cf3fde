using System.Text.Json.Nodes;

namespace Platform.Core.Flows;

/// <summary>The outcome of a dry run: the final status, the steps passed with their assignees, and why it stopped early.</summary>
public sealed record FlowSimulation(string Status, IReadOnlyList<SimulatedStep> Path, string? Problem)
{
    /// <summary>The sample record as the flow left it (status field, automation steps).</summary>
    public JsonObject? RecordChanges { get; init; }
}
