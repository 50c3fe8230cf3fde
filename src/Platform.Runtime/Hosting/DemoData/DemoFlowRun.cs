using System.Text.Json.Nodes;
using Platform.Core.Flows.Runtime;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// The demo flows as played: every command's write in order (starts, task actions, timers that fell due on the
/// way), the timers that fired without effect, and per record its instance and final data, for the log and tests.
/// </summary>
public sealed class DemoFlowRun
{
    /// <summary>The writes, each instance's in the order its commands ran (apply them with <see cref="FlowStore.AddCommands"/>).</summary>
    public List<FlowWrite> Writes { get; } = [];

    /// <summary>Timers that fell due and did nothing (deleted and logged as fired, like the timer worker does).</summary>
    public List<(FlowTimer Timer, DateTimeOffset At)> QuietFirings { get; } = [];

    /// <summary>Overdue-rule timers that fell due while their step was still open: the rule fired then (in time order per instance).</summary>
    public List<DemoOverdue> Overdue { get; } = [];

    /// <summary>Overdue-rule timers of steps still open whose moment has not come: pending, for the rule timer worker.</summary>
    public List<DemoOverdue> PendingOverdue { get; } = [];

    /// <summary>Instance id → the instance as it stands now.</summary>
    public Dictionary<Guid, FlowInstance> Instances { get; } = [];

    /// <summary>Record id → the record's data after its flow's commands (status and the fields the actions set).</summary>
    public Dictionary<Guid, JsonObject> Records { get; } = [];

    /// <summary>How many instances are in each status.</summary>
    public IReadOnlyDictionary<string, int> CountByStatus() =>
        Instances.Values.GroupBy(i => i.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
