namespace Platform.Designer.Services;

/// <summary>One line of a customer's tracking timeline.</summary>
public sealed record TrackingEntryView(DateTimeOffset At, string Step, string Status, string Text);
