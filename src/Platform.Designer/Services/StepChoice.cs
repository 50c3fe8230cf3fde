namespace Platform.Designer.Services;

/// <summary>A step the user may choose (a return target): key and name.</summary>
public sealed record StepChoice(string Key, string Name);
