namespace Platform.Designer.Services;

/// <summary>The create-app dialog: a blank app, or a copy of <see cref="Template"/> under its own key.</summary>
public sealed record NewAppRequest(string Key, string Name, string? NameEn, string? Description, string? Template);
