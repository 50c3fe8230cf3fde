using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Execution;
using Platform.Runtime.Security;

namespace Platform.Runtime.Hosting;

/// <summary>
/// <c>demo-data --seed 20261201 [--app after_sales] [--replace] [--as-of 2026-12-01T10:00:00+08:00] [--users]</c>: loads the
/// after-sales demo data into the configured database (the runtime's configuration: appsettings, environment, the other
/// arguments; no web host), importing the template first when it is missing. The same seed and moment give the same
/// data. An app that already has records is refused (exit 3) unless <c>--replace</c>, which first deletes its records and
/// their flows, audit and firings. Demo users (password demo1234) are created in local mode, with an external database
/// only when <c>--users</c> is given. Exit 0 on success, 2 for bad arguments, 3 when refused, 1 when it fails.
/// </summary>
public static class DemoDataCommand
{
    public const string Verb = "demo-data";

    private const string Usage = "usage: dotnet run --project src/Platform.Runtime -- demo-data --seed 20261201 [--app after_sales] [--replace] [--as-of <ISO date-time>] [--users]";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        var rest = new List<string>();
        var replace = false;
        var users = false;
        string? seedText = null, appKey = null, asOfText = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--replace":
                    replace = true;
                    break;
                case "--users":
                    users = true;
                    break;
                case "--seed" or "--app" or "--as-of" when i + 1 < args.Length:
                    var value = args[++i];
                    _ = args[i - 1] switch { "--seed" => seedText = value, "--app" => appKey = value, _ => asOfText = value };
                    break;
                case "--seed" or "--app" or "--as-of":
                    await error.WriteLineAsync($"{args[i]} 缺少取值 / {args[i]} needs a value\n{Usage}");
                    return 2;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        var seed = 0;
        if (seedText is not null && !int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
        {
            await error.WriteLineAsync($"--seed 须为整数，而不是「{seedText}」/ --seed must be an integer\n{Usage}");
            return 2;
        }

        DateTimeOffset? asOf = null;
        if (asOfText is not null)
        {
            if (!DateTimeOffset.TryParse(asOfText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                await error.WriteLineAsync($"--as-of 须为日期时间（ISO 8601），而不是「{asOfText}」/ --as-of must be an ISO 8601 date-time\n{Usage}");
                return 2;
            }

            asOf = parsed;
        }

        appKey ??= "after_sales";
        if (appKey != "after_sales")
        {
            await error.WriteLineAsync($"只有 after_sales 有演示数据，没有「{appKey}」的 / only the after_sales app has demo data, not '{appKey}'");
            return 2;
        }

        var builder = WebApplication.CreateBuilder([.. rest]);
        try
        {
            await builder.AddPlatformAsync();
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"演示数据加载失败 / Demo data failed: {e.Message}");
            return 1;
        }

        // Built, never run: no server, no background services; only the services the runtime itself loads demo data with.
        await using var host = builder.Build();
        var services = host.Services;
        var settings = services.GetRequiredService<PlatformSettings>();
        try
        {
            return await LoadAsync(services, appKey, seedText is null ? settings.DemoSeed : seed, asOf, replace, users || services.GetRequiredService<PlatformMode>().IsLocal, output, error);
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException)
        {
            await error.WriteLineAsync($"演示数据加载失败 / Demo data failed: {e.Message}");
            return 1;
        }
        finally
        {
            if (services.GetService<PostgresCluster>() is { } cluster)
            {
                await cluster.StopAsync();
            }
        }
    }

    private static async Task<int> LoadAsync(
        IServiceProvider services, string appKey, int seed, DateTimeOffset? asOf, bool replace, bool createUsers, TextWriter output, TextWriter error)
    {
        var ct = CancellationToken.None;
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var catalog = services.GetRequiredService<AppCatalog>();
        if (createUsers)
        {
            var userStore = services.GetRequiredService<UserStore>();
            await DemoOrganisation.SeedAsync(dataSource, ct);
            foreach (var u in DemoUser.All)
            {
                await userStore.CreateAsync(u.UserName, u.DisplayName, DemoUser.Password, u.Roles, ct, u.Phone, u.Email, u.Department, u.IsExternal);
            }
        }

        await Execution.Organisation.RoleAdministration.SeedBuiltInAsync(dataSource, ct);
        if (await catalog.GetAsync(appKey, ct) is null)
        {
            var template = await services.GetRequiredService<TemplateLibrary>().ReadAsync(TemplateLibrary.AfterSales, ct)
                ?? throw new InvalidOperationException("samples/after-sales-app.json not found");
            var imported = await services.GetRequiredService<AppImporter>().ImportAsync(template, "demo-data", ct, buildIndexes: false);
            if (imported.Problems.Count > 0)
            {
                throw new InvalidOperationException("the template does not validate: " + string.Join("; ", imported.Problems.Take(5).Select(p => $"{p.Path}: {p.Message}")));
            }

            await output.WriteLineAsync($"已导入模板 / Imported the template as app '{appKey}'.");
        }

        var existing = await CountAsync(dataSource, appKey, ct);
        if (existing > 0 && !replace)
        {
            await error.WriteLineAsync(
                $"应用「{appKey}」已有 {existing} 条记录，未加载演示数据；加 --replace 先删除它们 / app '{appKey}' already has {existing} records: nothing loaded. Add --replace to delete them first.");
            return 3;
        }

        if (existing > 0)
        {
            await DeleteAppDataAsync(dataSource, appKey, ct);
            await output.WriteLineAsync($"已删除 / Deleted {existing} records of '{appKey}' with their flows, audit and rule log.");
        }

        var loaded = await services.GetRequiredService<DemoDataLoader>().LoadIfEmptyAsync(appKey, seed, ct, asOf);
        if (await catalog.GetAsync(appKey, ct) is { } app)
        {
            await services.GetRequiredService<Persistence.FieldIndexManager>().EnsureIndexesAsync(app, ct);
        }

        await output.WriteLineAsync($"已加载演示数据 / Loaded {loaded} demo records into '{appKey}' (seed {seed}{(asOf is { } at ? $", as of {at:O}" : string.Empty)}).");
        return 0;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string appKey, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("select count(*) from records where app_key = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = appKey });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    // One transaction: the records' rollups follow through the record triggers, the auto-numbers start again. The record
    // triggers make the delete take tens of seconds on a busy machine, so it has no command timeout (Npgsql's 30 s default
    // broke it off as "Exception while reading from stream"); the operator's Ctrl+C still cancels it.
    private static async Task DeleteAppDataAsync(NpgsqlDataSource dataSource, string appKey, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = 0 };
        foreach (var sql in new[]
        {
            "delete from notifications where instance_id in (select id from flow_instances where app_key = $1)",
            "delete from notifications where kind = 'rule' and link like '/apps/' || $1 || '/%'",
            "delete from timer_firings where instance_id in (select id from flow_instances where app_key = $1)",
            "delete from timers where instance_id in (select id from flow_instances where app_key = $1) or payload->>'app' = $1",
            "delete from flow_history where instance_id in (select id from flow_instances where app_key = $1)",
            "delete from flow_tasks where app_key = $1",
            "delete from flow_instances where app_key = $1",
            "delete from rule_firings where app_key = $1",
            "delete from record_audit where app_key = $1",
            "delete from records where app_key = $1",
            "delete from number_sequences where key like $1 || '/%'",
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = appKey });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
