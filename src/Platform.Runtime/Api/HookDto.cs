using System.Text.Json.Nodes;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>An inbound hook as administrators see it; the token itself is never shown again after it is issued.</summary>
public sealed record HookDto(
    string Key, string Entity, string? MatchField, JsonObject Mapping, bool Enabled, bool HasToken, string Url, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static HookDto From(InboundHookRow row, string url) =>
        new(row.Key, row.EntityKey, row.MatchField, row.Mapping, row.Enabled, row.TokenHash is not null, url, row.CreatedAt, row.UpdatedAt);
}
