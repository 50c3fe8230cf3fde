using System.Text.Json.Nodes;

namespace Platform.Runtime.Persistence;

/// <summary>One saved, unpublished definition of the designer.</summary>
public sealed record DraftRow(string AppKey, string Kind, string Key, JsonObject Body, string UpdatedBy, DateTimeOffset UpdatedAt);
