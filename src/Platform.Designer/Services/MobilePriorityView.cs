namespace Platform.Designer.Services;

/// <summary>A job's priority chip: the option's labels and color, and its rank among the options (higher = more urgent).</summary>
public sealed record MobilePriorityView(string Value, string Label, string? LabelEn, string? Color, int Rank);
