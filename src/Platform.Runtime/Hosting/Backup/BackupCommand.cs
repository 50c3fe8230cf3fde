namespace Platform.Runtime.Hosting.Backup;

/// <summary>
/// The command-line verbs <c>backup --out file.tar</c> and <c>restore --from file.tar</c>. They read the configuration
/// the runtime reads (appsettings, environment, the other command-line arguments), so they find the same database and
/// files directory; they start no web host. Exit code 0 on success, 1 with a message on stderr otherwise.
/// </summary>
public static class BackupCommand
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "backup" or "restore";

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args[0];
        var builder = WebApplication.CreateBuilder(args[1..]);
        var configuration = builder.Configuration;
        var settings = configuration.GetSection("Platform").Get<PlatformSettings>() ?? new PlatformSettings();
        using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var logger = loggerFactory.CreateLogger("Platform.Backup");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var path = configuration[verb == "backup" ? "out" : "from"];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new InvalidOperationException(verb == "backup"
                    ? "usage: dotnet Platform.Runtime.dll backup --out /path/platform-backup.tar"
                    : "usage: dotnet Platform.Runtime.dll restore --from /path/platform-backup.tar");
            }

            await using var target = await BackupTarget.OpenAsync(configuration, settings, logger, cancel.Token);
            var backup = new PlatformBackup(target, logger);
            if (verb == "backup")
            {
                var made = await backup.CreateAsync(Path.GetFullPath(path), cancel.Token);
                Console.WriteLine($"备份完成 / Backup written: {Path.GetFullPath(path)}\n  database {made.Database} ({made.DumpBytes:N0} bytes dumped, migration {made.LastMigration}), {made.Files:N0} files ({made.FileBytes:N0} bytes)");
            }
            else
            {
                var restored = await backup.RestoreAsync(Path.GetFullPath(path), cancel.Token);
                Console.WriteLine($"恢复完成 / Restored {Path.GetFullPath(path)} (taken {restored.CreatedAt:u} from {restored.Database})\n  into database {target.DatabaseName}, {restored.Files:N0} files into {target.FilesDirectory}\n  Start the runtime: it applies any newer migrations on start-up.");
            }

            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or Npgsql.NpgsqlException or OperationCanceledException)
        {
            Console.Error.WriteLine($"{(verb == "backup" ? "备份失败 / Backup failed" : "恢复失败 / Restore failed")}: {e.Message}");
            return 1;
        }
    }
}
