using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>A stored record as an edit form opens it: its data and the version to send back.</summary>
public sealed record RecordFormRecord(Guid Id, JsonObject Data, int Version);
