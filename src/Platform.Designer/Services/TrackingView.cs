namespace Platform.Designer.Services;

/// <summary>A tracked request: its number, status (and the status's label) and the public timeline, oldest first.</summary>
public sealed record TrackingView(string TrackingNo, string Status, string? StatusLabel, string? FlowStatus, IReadOnlyList<TrackingEntryView> Timeline);
