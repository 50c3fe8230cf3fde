namespace Platform.Runtime.Execution.Mobile;

/// <summary>A field shown on the job page: its key, labels and its value as text.</summary>
public sealed record MobileDetailField(string Key, string Label, string? LabelEn, string Text);
