using System.Text.Json.Nodes;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>A record as the HTTP contract shows it.</summary>
public sealed record RecordDto(Guid Id, int Version, JsonObject Data, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy, FlowStateDto? Flow)
{
    public static RecordDto From(StoredRecord r) => new(r.Id, r.Version, r.Data, r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy,
        r.Flow is { } f ? new FlowStateDto(f.InstanceId, f.Status, f.ActiveSteps) : null);
}
