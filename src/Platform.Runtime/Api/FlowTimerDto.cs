namespace Platform.Runtime.Api;

/// <summary>A pending timer of an instance: <c>{ step, kind, dueAt }</c>.</summary>
public sealed record FlowTimerDto(string Step, string Kind, DateTimeOffset DueAt);
