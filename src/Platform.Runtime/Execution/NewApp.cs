namespace Platform.Runtime.Execution;

/// <summary>A new app: blank, or a copy of a bundled template under its own key (<see cref="Template"/>).</summary>
public sealed record NewApp(string? Key, string? Name, string? NameEn = null, string? Description = null, string? Template = null);
