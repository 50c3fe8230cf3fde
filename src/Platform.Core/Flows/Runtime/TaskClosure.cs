namespace Platform.Core.Flows.Runtime;

/// <summary>A task that closed in this command: how (done or cancelled), by whom, with which action.</summary>
public sealed record TaskClosure(FlowTask Task, string Status, string Action, string By, DateTimeOffset At, string? Comment);
