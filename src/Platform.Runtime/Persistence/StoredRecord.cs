using System.Text.Json.Nodes;

namespace Platform.Runtime.Persistence;

/// <summary>A record as stored: JSONB data plus version and audit columns.</summary>
public sealed record StoredRecord(
    Guid Id,
    string AppKey,
    string EntityKey,
    JsonObject Data,
    int Version,
    int DefinitionVersion,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    /// <summary>
    /// The row's <c>xmin</c> as read or written (0: unknown): every write of the row changes it, whatever wrote it (an edit, a
    /// rule, a flow, an aggregate's recount), so a write guarded by it knows the row is still the one it read.
    /// </summary>
    public uint Xmin { get; init; }

    /// <summary>The flow the record is in (the newest one), when loaded.</summary>
    public RecordFlowState? Flow { get; init; }
}
