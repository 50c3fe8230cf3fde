using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>A record to simulate a flow against: its id, a title (auto-number or title field) and its data.</summary>
public sealed record SampleRecord(Guid Id, string Title, DateTimeOffset CreatedAt, JsonObject Data);
