using Platform.Runtime.Api;

namespace Platform.Runtime.Execution;

/// <summary>A tracked request: its number, record status (with the option's label), flow status and public history, oldest first.</summary>
public sealed record TrackingResult(string TrackingNo, string Status, string? StatusLabel, string? FlowStatus, IReadOnlyList<FlowHistoryDto> Timeline);
