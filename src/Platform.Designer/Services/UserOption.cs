namespace Platform.Designer.Services;

/// <summary>A user offered by a user picker.</summary>
public sealed record UserOption(string UserName, string DisplayName);
