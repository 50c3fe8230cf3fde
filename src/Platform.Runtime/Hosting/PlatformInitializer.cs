using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using Platform.Runtime.Execution;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;

namespace Platform.Runtime.Hosting;

/// <summary>
/// Brings the database to where the runtime can serve (migrations already ran in <see cref="PlatformMigrator"/>): the first admin, and in local mode the
/// demo users, the after-sales template and its demo data; then marks the runtime ready and prints the banner.
/// Runs in the background so the port answers (503 + Retry-After) while it works.
/// </summary>
public sealed class PlatformInitializer(
    IServiceProvider services, PlatformSettings settings, PlatformMode mode, Readiness readiness, IServer server,
    IHostApplicationLifetime lifetime, ILogger<PlatformInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var demo = (settings.Demo ?? (mode.IsLocal ? "full" : "none")).ToLowerInvariant();
            var users = services.GetRequiredService<UserStore>();
            var policy = services.GetRequiredService<PasswordPolicy>();
            if (settings.AdminPassword is not null && policy.Check(settings.AdminPassword, "admin") is { Count: > 0 } broken)
            {
                throw new InvalidOperationException($"Platform:AdminPassword does not meet the password policy: {string.Join("; ", broken)}");
            }

            string? adminPassword = null;
            if (demo != "none")
            {
                await DemoOrganisation.SeedAsync(services.GetRequiredService<NpgsqlDataSource>(), stoppingToken);
                await Task.WhenAll(DemoUser.All.Select(u => users.CreateAsync(
                    u.UserName, u.DisplayName, settings.AdminPassword is not null && u.UserName == "admin" ? settings.AdminPassword : DemoUser.Password, u.Roles, stoppingToken,
                    u.Phone, u.Email, u.Department, u.IsExternal)));
            }
            else if (!await users.AnyAsync(stoppingToken))
            {
                adminPassword = settings.AdminPassword ?? GeneratePassword(policy, settings.Accounts.PasswordMinLength);
                await users.CreateAsync("admin", "系统管理员", adminPassword, [PlatformRoles.Admin], stoppingToken);
                if (settings.AdminPassword is not null)
                {
                    adminPassword = null;
                }
            }

            await Execution.Organisation.RoleAdministration.SeedBuiltInAsync(services.GetRequiredService<NpgsqlDataSource>(), stoppingToken);
            var importSample = settings.ImportSample ?? mode.IsLocal;
            if (importSample && FindSample() is { } samplePath)
            {
                var text = await File.ReadAllTextAsync(samplePath, stoppingToken);
                var body = JsonNode.Parse(text)!.AsObject();

                // Imported again only when the file changed: what administrators published since (flows, forms) stays.
                var importedBy = "sample:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
                var appKey = body["app"]?["key"]?.ToString() ?? string.Empty;
                var result = await AlreadyImportedAsync(appKey, importedBy, stoppingToken)
                    ? new ImportResult(appKey, 0, false, 0, [])
                    : await services.GetRequiredService<AppImporter>().ImportAsync(body, importedBy, stoppingToken, buildIndexes: false);
                if (result.Problems.Count > 0)
                {
                    throw new InvalidOperationException(
                        $"The template {samplePath} does not validate:\n" + string.Join("\n", result.Problems.Take(20).Select(p => $"  {p.Path}: {p.Message}")));
                }

                if (demo == "full" && result.AppKey is not null)
                {
                    await services.GetRequiredService<DemoDataLoader>().LoadIfEmptyAsync(result.AppKey, settings.DemoSeed, stoppingToken);
                }

                // Built after the demo load so CREATE INDEX CONCURRENTLY never waits on the bulk load.
                if (result.AppKey is not null && await services.GetRequiredService<AppCatalog>().GetAsync(result.AppKey, stoppingToken) is { } installed)
                {
                    _ = Task.Run(() => services.GetRequiredService<FieldIndexManager>().EnsureIndexesAsync(installed, lifetime.ApplicationStopping), CancellationToken.None);
                }
            }
            else if (importSample)
            {
                logger.LogWarning("samples/after-sales-app.json not found; starting without the after-sales template");
            }

            // Rollups whose stored format or definition is outdated (an upgrade changed what they keep) are rebuilt in the
            // background; until then their reports are answered from the records.
            _ = Task.Run(() => SyncRollupsAsync(lifetime.ApplicationStopping), CancellationToken.None);

            readiness.MarkReady();
            await PrintBannerAsync(demo, adminPassword, started.Elapsed, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            readiness.MarkFailed(e);
            logger.LogCritical(e, "The platform could not start");
            lifetime.StopApplication();
        }
    }

    private async Task SyncRollupsAsync(CancellationToken ct)
    {
        try
        {
            var catalog = services.GetRequiredService<AppCatalog>();
            foreach (var summary in await catalog.ListAsync(ct))
            {
                if (await catalog.GetAsync(summary.Key, ct) is { } app)
                {
                    await services.GetRequiredService<Execution.Aggregates.RecordAggregates>().SyncAsync(app, ct);
                    await services.GetRequiredService<Execution.Reports.ReportRollups>().SyncAsync(app, ct);
                    await services.GetRequiredService<Execution.Reports.ReportProjections>().SyncAsync(app, ct);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Rollup or projection sync at start-up failed; reports are answered from the records until the next publish");
        }
    }

    private static string GeneratePassword(PasswordPolicy policy, int minLength)
    {
        while (true)
        {
            var candidate = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(Math.Clamp(minLength, 12, PasswordPolicy.MaxLength / 2)));
            if (policy.Check(candidate).Count == 0)
            {
                return candidate;
            }
        }
    }

    private string? FindSample() => services.GetRequiredService<TemplateLibrary>().FindAfterSales();

    private async Task PrintBannerAsync(string demo, string? adminPassword, TimeSpan elapsed, CancellationToken ct)
    {
        // Kestrel publishes its addresses once it has bound; wait briefly for them.
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        for (var i = 0; i < 50 && (addresses is null || addresses.Count == 0); i++)
        {
            await Task.Delay(100, ct);
        }

        var url = addresses?.FirstOrDefault() ?? "http://127.0.0.1:5000";
        var lines = new List<string>
        {
            $"  售后服务平台已就绪 / Platform ready in {elapsed.TotalSeconds:0.0} s:  {url}",
            mode.IsLocal
                ? $"  数据库 / Database: local PostgreSQL cluster in {mode.DataDirectory}"
                : "  数据库 / Database: external (ConnectionStrings:Platform)",
        };
        if (mode.IsLocal && demo != "none")
        {
            lines.Add($"  演示用户 / Demo users (password {DemoUser.Password}):");
            lines.Add("    admin (管理员), cs01 cs02 (客服), sup01 (主管), wh01 (仓库), fin01 (财务), qa01 (质量), eng01…eng20 (工程师), analyst (业务分析师), sp01 (外部服务商), ka01 (大客户经理)");
        }

        if (adminPassword is not null)
        {
            lines.Add($"  First administrator: admin / {adminPassword}  (change it; shown once)");
        }

        lines.Add("  Ctrl+C 停止 / to stop");
        var rule = new string('=', 78);
        Console.WriteLine($"{rule}\n{string.Join('\n', lines)}\n{rule}");
    }

    private async Task<bool> AlreadyImportedAsync(string appKey, string importedBy, CancellationToken ct)
    {
        await using var cmd = services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "select exists (select 1 from app_versions where app_key = $1 and published_by = $2)");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = appKey });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = importedBy });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
