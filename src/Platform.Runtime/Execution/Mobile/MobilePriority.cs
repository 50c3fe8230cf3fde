namespace Platform.Runtime.Execution.Mobile;

/// <summary>A job's priority option: its value, labels and color, and its rank (its position among the options, higher = more urgent).</summary>
public sealed record MobilePriority(string Value, string Label, string? LabelEn, string? Color, int Rank);
