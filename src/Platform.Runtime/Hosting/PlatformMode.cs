namespace Platform.Runtime.Hosting;

/// <summary>How this process found its database.</summary>
public sealed record PlatformMode(bool IsLocal, string ConnectionString, string? DataDirectory);
