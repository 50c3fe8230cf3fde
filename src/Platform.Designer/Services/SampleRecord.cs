using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>A record offered as the sample of a dry-run: its id, a title to pick it by, and its data.</summary>
public sealed record SampleRecord(Guid Id, string Title, JsonObject Data);
