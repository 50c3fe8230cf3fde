using System.Text.Json.Nodes;

namespace Platform.Runtime.Persistence;

/// <summary>One audit entry: <c>changes</c> maps each changed field to <c>{ before, after }</c>.</summary>
public sealed record RecordAuditEntry(string Action, int Version, DateTimeOffset At, string By, JsonObject Changes);
