namespace Platform.Runtime.Execution.Mobile;

/// <summary>An open task of the caller with the flow version it belongs to (to find its step's mobile settings).</summary>
internal sealed record MobileOpenTask(Guid Id, string App, string Entity, Guid RecordId, string Step, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string Flow, int Version);
