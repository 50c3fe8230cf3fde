using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>A record offered as the sample of a simulation or dry-run: its id, a title to pick it by (auto-number or title field), when it was created, and its data.</summary>
public sealed record SampleRecord(Guid Id, string Title, DateTimeOffset CreatedAt, JsonObject Data);
