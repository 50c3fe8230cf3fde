using System.Text.Json.Nodes;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// A <c>task.overdue</c> rule's timer of a played flow: set when <see cref="Step"/> was entered, due at <see cref="At"/>;
/// <see cref="Record"/> is the record as it stood then (for a timer still pending, as it stands now).
/// </summary>
public sealed record DemoOverdue(string Rule, Guid InstanceId, string Flow, string Entity, Guid RecordId, string Step, DateTimeOffset At, JsonObject Record);
