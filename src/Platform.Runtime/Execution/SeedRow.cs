using System.Text.Json.Nodes;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>A validated seed row with its new record id and the JSON path it came from.</summary>
public sealed record SeedRow(string Entity, Guid Id, JsonObject Data, IReadOnlyList<AutoNumberSlot> AutoNumbers, string Path);
