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
    /// <summary>The flow the record is in (the newest one), when loaded.</summary>
    public RecordFlowState? Flow { get; init; }
}
