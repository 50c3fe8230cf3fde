using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Hosting;

/// <summary>
/// <c>migrate</c>: applies the pending migrations of this build to the configured database and exits, so an upgrade can
/// change the schema once, before any node runs the new version (every node also migrates at start-up, taking turns on
/// the same advisory lock, so running it twice or alongside a starting node is harmless).
/// </summary>
public static class MigrateCommand
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args[1..]);
        var settings = builder.Configuration.GetSection("Platform").Get<PlatformSettings>() ?? new PlatformSettings();
        using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        PostgresCluster? cluster = null;
        try
        {
            (var mode, cluster) = await LocalDatabase.ResolveAsync(builder.Configuration, settings, loggerFactory.CreateLogger("Platform.Migrate"), CancellationToken.None);
            await using var dataSource = NpgsqlDataSource.Create(mode.ConnectionString);
            var options = new DbContextOptionsBuilder<PlatformDbContext>()
                .UseNpgsql(dataSource)
                .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
                .Options;
            await using var db = new PlatformDbContext(options);
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            await PlatformMigrator.MigrateAsync(dataSource, CancellationToken.None);
            Console.WriteLine(pending.Count == 0
                ? "数据库已是最新 / The database is up to date; nothing to apply."
                : $"已应用迁移 / Applied {pending.Count} migration(s):\n  " + string.Join("\n  ", pending));
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException)
        {
            Console.Error.WriteLine($"迁移失败 / Migration failed: {e.Message}");
            return 1;
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.StopAsync();
            }
        }
    }
}
