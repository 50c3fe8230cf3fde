using System.Formats.Tar;
using System.Text.Json;
using Npgsql;
using Platform.Runtime.Execution.Files;

namespace Platform.Runtime.Hosting.Backup;

/// <summary>
/// One consistent backup of the database and the uploaded files in one tar, and its restore into an empty database.
/// <para>
/// The order is what makes it consistent without stopping the runtime: pg_dump reads the whole database in one
/// snapshot, and the files are copied only after that snapshot was taken. A file is written to disk before its row is
/// committed and never changed or deleted afterwards, so every file the dumped rows name is already on disk when the
/// copy starts: the backup can hold files no row names (uploaded during the backup: harmless, never served), never a
/// row naming a missing file. Files first, then the database, would allow exactly that broken case.
/// </para>
/// </summary>
public sealed class PlatformBackup(BackupTarget target, ILogger logger)
{
    private const string ManifestEntry = "manifest.json";
    private const string DumpEntry = "database.dump";
    private const string FilesPrefix = "files/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<BackupManifest> CreateAsync(string outPath, CancellationToken ct)
    {
        if (File.Exists(outPath))
        {
            throw new InvalidOperationException($"{outPath} exists already; give the backup a new name.");
        }

        var pgDump = Tool("pg_dump");
        var (serverVersion, serverMajor, lastMigration) = await DescribeDatabaseAsync(ct);
        var dumpMajor = await PgProcess.MajorVersionAsync(pgDump, ct);
        if (dumpMajor < serverMajor)
        {
            throw new InvalidOperationException(
                $"{pgDump} is version {dumpMajor}, the server {serverVersion}: pg_dump must be at least the server's version (install postgresql-client-{serverMajor}, or set Platform:PostgresBin).");
        }

        var directory = Path.GetDirectoryName(outPath)!;
        Directory.CreateDirectory(directory);
        var work = Path.Combine(directory, $".platform-backup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var partial = outPath + ".part";
        try
        {
            var dump = Path.Combine(work, DumpEntry);

            // One snapshot for the whole database (pg_dump's own transaction); the files are listed only after it.
            var (exitCode, errors) = await PgProcess.RunAsync(pgDump, ["--format=custom", "--compress=6", $"--file={dump}", $"--dbname={target.DatabaseName}"], target.ConnectionString, ct);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"pg_dump failed ({exitCode}): {errors}");
            }

            var files = ListFiles();
            var manifest = new BackupManifest
            {
                CreatedAt = DateTimeOffset.UtcNow,
                Database = target.DatabaseName,
                ServerVersion = serverVersion,
                LastMigration = lastMigration,
                DumpBytes = new FileInfo(dump).Length,
                Files = files.Count,
                FileBytes = files.Sum(f => new FileInfo(f.Path).Length),
            };

            await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await using (var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false))
            {
                var manifestFile = Path.Combine(work, ManifestEntry);
                await File.WriteAllBytesAsync(manifestFile, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), ct);
                await tar.WriteEntryAsync(manifestFile, ManifestEntry, ct);
                await tar.WriteEntryAsync(dump, DumpEntry, ct);
                foreach (var (path, entry) in files)
                {
                    await tar.WriteEntryAsync(path, entry, ct);
                }
            }

            File.Move(partial, outPath);
            logger.LogDebug("Backup {Path}: {Files} files", outPath, files.Count);
            return manifest;
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Restores a backup into an empty database and an empty files directory: the database in one transaction
    /// (pg_restore --single-transaction: all or nothing), then the files. Refuses a database that has tables or a
    /// files directory that has files, so a restore can never mix two installations.
    /// </summary>
    public async Task<BackupManifest> RestoreAsync(string fromPath, CancellationToken ct)
    {
        if (!File.Exists(fromPath))
        {
            throw new InvalidOperationException($"{fromPath} does not exist.");
        }

        var pgRestore = Tool("pg_restore");
        var tables = await ScalarAsync<long>("select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')", ct);
        if (tables > 0)
        {
            throw new InvalidOperationException(
                $"the database {target.DatabaseName} is not empty ({tables} tables): restore goes into an empty database. Create one (createdb -O platform platform_restored) and point ConnectionStrings:Platform at it.");
        }

        if (Directory.Exists(target.FilesDirectory) && Directory.EnumerateFiles(target.FilesDirectory, "*", SearchOption.AllDirectories).Any())
        {
            throw new InvalidOperationException($"the files directory {target.FilesDirectory} is not empty: restore into an empty one (Platform:FilesDir).");
        }

        var parent = Path.GetDirectoryName(target.FilesDirectory)!;
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".platform-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var dump = Path.Combine(work, DumpEntry);
            BackupManifest? manifest = null;
            await using (var input = File.OpenRead(fromPath))
            await using (var tar = new TarReader(input))
            {
                while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
                {
                    if (entry.Name == ManifestEntry)
                    {
                        manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(entry.DataStream!, Json, ct);
                    }
                    else if (entry.Name == DumpEntry)
                    {
                        await entry.ExtractToFileAsync(dump, overwrite: false, ct);
                        break;
                    }
                }
            }

            if (manifest is null || manifest.Format != BackupManifest.FormatName || !File.Exists(dump))
            {
                throw new InvalidOperationException($"{fromPath} is not a platform backup (no {ManifestEntry} naming format '{BackupManifest.FormatName}', or no {DumpEntry}).");
            }

            if (manifest.FormatVersion > 1)
            {
                throw new InvalidOperationException($"{fromPath} has backup format version {manifest.FormatVersion}; this runtime reads version 1. Restore with the runtime that made it.");
            }

            var (exitCode, errors) = await PgProcess.RunAsync(
                pgRestore, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", $"--dbname={target.DatabaseName}", dump], target.ConnectionString, ct);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"pg_restore failed ({exitCode}); the database is unchanged: {errors}");
            }

            var restored = await ExtractFilesAsync(fromPath, ct);
            if (restored != manifest.Files)
            {
                throw new InvalidOperationException($"the backup lists {manifest.Files} files but holds {restored}: the tar is damaged. The database was restored; the files are incomplete.");
            }

            return manifest;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Every stored file with its tar entry name; uploads still being written (<c>.part</c>) are not files yet.</summary>
    private List<(string Path, string Entry)> ListFiles()
    {
        if (!Directory.Exists(target.FilesDirectory))
        {
            return [];
        }

        return Directory.EnumerateFiles(target.FilesDirectory, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetFileName(path)))
            .Where(f => FileStore.IsId(f.Name))
            .Select(f => (f.Path, FilesPrefix + f.Name[..2] + "/" + f.Name))
            .OrderBy(f => f.Item2, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<int> ExtractFilesAsync(string fromPath, CancellationToken ct)
    {
        var count = 0;
        await using var input = File.OpenRead(fromPath);
        await using var tar = new TarReader(input);
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (!entry.Name.StartsWith(FilesPrefix, StringComparison.Ordinal) || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                continue;
            }

            // Only names the FileStore itself would make: nothing in a tampered tar can land outside the files directory.
            var parts = entry.Name[FilesPrefix.Length..].Split('/');
            if (parts.Length != 2 || !FileStore.IsId(parts[1]) || parts[0] != parts[1][..2])
            {
                throw new InvalidOperationException($"unexpected entry '{entry.Name}' in the backup");
            }

            var path = Path.Combine(target.FilesDirectory, parts[0], parts[1]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await entry.ExtractToFileAsync(path + ".part", overwrite: true, ct);
            File.Move(path + ".part", path);
            count++;
        }

        return count;
    }

    private async Task<(string Version, int Major, string? LastMigration)> DescribeDatabaseAsync(CancellationToken ct)
    {
        await using var data = NpgsqlDataSource.Create(target.ConnectionString);
        await using var version = data.CreateCommand("select current_setting('server_version'), current_setting('server_version_num')::int / 10000, to_regclass('\"__EFMigrationsHistory\"') is not null");
        await using var reader = await version.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (text, major, migrated) = (reader.GetString(0), reader.GetInt32(1), reader.GetBoolean(2));
        await reader.DisposeAsync();
        if (!migrated)
        {
            throw new InvalidOperationException($"the database {target.DatabaseName} holds no platform data (no migrations applied): check ConnectionStrings:Platform.");
        }

        await using var last = data.CreateCommand("select max(\"MigrationId\") from \"__EFMigrationsHistory\"");
        return (text, major, await last.ExecuteScalarAsync(ct) as string);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var data = NpgsqlDataSource.Create(target.ConnectionString);
        await using var cmd = data.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private string Tool(string name) =>
        PostgresBinaries.FindTool(name, target.ToolsDirectory)
        ?? throw new InvalidOperationException($"{name} not found: install the PostgreSQL client (apt-get install postgresql-client) or set Platform:PostgresBin.");
}
