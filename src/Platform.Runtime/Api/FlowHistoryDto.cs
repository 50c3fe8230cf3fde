using System.Text.Json.Nodes;

namespace Platform.Runtime.Api;

/// <summary>One history line: <c>{ step, action, by, at, comment }</c> plus the step's name, target and changed fields.</summary>
public sealed record FlowHistoryDto(int Seq, string Step, string? StepName, string Action, string By, DateTimeOffset At, string? Comment, string? To, JsonObject? Fields);
