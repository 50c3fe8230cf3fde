using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>A record for its detail page: the raw data (for dialogs that edit step fields), the formatted fields, audit columns and its flow.</summary>
public sealed record RecordDetailView(
    Guid Id,
    int Version,
    JsonObject Data,
    IReadOnlyDictionary<string, FieldValueView> Fields,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    FlowView? Flow)
{
    /// <summary>Whether the viewer's roles may edit this record (outside their update scope the edit button is not offered).</summary>
    public bool CanEdit { get; init; } = true;
}
