using System.Text.Json.Nodes;

namespace Platform.Runtime.Persistence;

/// <summary>One row of <c>inbound_hooks</c>: where an app's webhook writes and how its payload maps to fields.</summary>
public sealed record InboundHookRow(
    string AppKey,
    string Key,
    string EntityKey,
    string? MatchField,
    JsonObject Mapping,
    string? TokenHash,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
