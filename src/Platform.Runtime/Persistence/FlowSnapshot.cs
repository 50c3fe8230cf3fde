using Platform.Core.Flows.Runtime;

namespace Platform.Runtime.Persistence;

/// <summary>An instance as loaded for a command: its state, row version (the optimistic lock) and its record.</summary>
public sealed record FlowSnapshot(FlowInstance Instance, int RowVersion, StoredRecord? Record);
