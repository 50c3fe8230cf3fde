using System.Text.Json.Nodes;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>One generated demo record: <see cref="Input"/> goes through the form engine; <see cref="System"/> holds
/// the values rules would have set (auto-numbers, counters) and is laid over the result; <see cref="Flow"/> is what
/// happens to its flow after the record is created (the fields the flow's steps set come from playing it).</summary>
public sealed record DemoRecord(string Entity, Guid Id, JsonObject Input, JsonObject System, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>The actions to play on the flow the record starts, or null when it only starts.</summary>
    public DemoFlowPlan? Flow { get; init; }
}
