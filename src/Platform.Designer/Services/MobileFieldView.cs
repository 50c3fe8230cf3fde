namespace Platform.Designer.Services;

/// <summary>A labelled value on the job page or under a part's name.</summary>
public sealed record MobileFieldView(string Key, string Label, string? LabelEn, string Text);
