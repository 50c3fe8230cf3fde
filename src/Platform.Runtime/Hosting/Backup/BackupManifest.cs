namespace Platform.Runtime.Hosting.Backup;

/// <summary>
/// <c>manifest.json</c>, the first entry of a backup tar: what it holds. The tar's other entries are
/// <c>database.dump</c> (pg_dump custom format) and <c>files/{xx}/{fileId}</c> (the FileStore's layout).
/// </summary>
public sealed record BackupManifest
{
    public const string FormatName = "platform-backup";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    public DateTimeOffset CreatedAt { get; init; }

    public required string Database { get; init; }

    public required string ServerVersion { get; init; }

    /// <summary>The newest EF Core migration applied in the backed-up database.</summary>
    public string? LastMigration { get; init; }

    public long DumpBytes { get; init; }

    public int Files { get; init; }

    public long FileBytes { get; init; }
}
