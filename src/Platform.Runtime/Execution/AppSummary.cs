namespace Platform.Runtime.Execution;

/// <summary>An installed app as listed on the home page and by <c>GET /api/apps</c>.</summary>
public sealed record AppSummary(string Key, string Name, int Version, string? NameEn, string? Description, int EntityCount, DateTimeOffset UpdatedAt);
