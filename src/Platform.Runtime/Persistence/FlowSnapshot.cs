using Platform.Core.Flows.Runtime;

namespace Platform.Runtime.Persistence;

/// <summary>An instance as loaded for a command: its state, row version (the optimistic lock) and its record.</summary>
public sealed record FlowSnapshot(FlowInstance Instance, int RowVersion, StoredRecord? Record)
{
    /// <summary>Handed out by <see cref="FlowInstanceCache"/> rather than read now (its write is then guarded by the record too).</summary>
    public bool Cached { get; init; }
}
