using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Hooks;

/// <summary>
/// The body of <c>PUT /api/apps/{app}/hooks/{key}</c>: the entity written, the field that finds an existing record
/// (an update instead of a create), and the mapping <c>{ fieldKey: path }</c> applied to a raw payload.
/// </summary>
public sealed record InboundHookSettings(string? Entity, string? MatchField, JsonObject? Mapping, bool? Enabled);
