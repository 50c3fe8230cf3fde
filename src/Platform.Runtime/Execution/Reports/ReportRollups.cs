using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// Keeps the daily rollups of reports marked <c>rollup</c>. A rebuild counts the records once (under a share lock on
/// records so no write slips between the count and the trigger taking over) and stores the report's delta statement;
/// from then on the <c>records_report_rollup</c> trigger applies each insert, update and delete in the writing
/// transaction. A report whose definition changed is rebuilt; until then it is answered from the records.
/// </summary>
public sealed class ReportRollups(NpgsqlDataSource dataSource, ILogger<ReportRollups> logger)
{
    private readonly ConcurrentDictionary<(string App, string Report), (string Hash, DateTimeOffset CheckedAt)> ready = new();

    /// <summary>A stable hash of what the rollup depends on: the report definition and the app version's entity.</summary>
    public static string Hash(ReportDefinition report) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(report with { Schedules = [], Chart = new ReportChart() }, MetadataJson.Options))))[..32];

    /// <summary>The rollup query for the request, or null when the report keeps no rollup.</summary>
    public static CompiledReport? CompileQuery(AppDefinition app, ReportDefinition report, ReportRequest request) =>
        ReportRollupShape.Of(app, report, out _) is { } shape ? ReportSqlCompiler.CompileFromRollup(app, report, shape, request) : null;

    /// <summary>True when the report's rollup is built for its current definition.</summary>
    public async Task<bool> IsReadyAsync(AppDefinition app, ReportDefinition report, CancellationToken ct)
    {
        if (!report.Rollup)
        {
            return false;
        }

        var hash = Hash(report);
        if (ready.TryGetValue((app.Key, report.Key), out var known) && known.Hash == hash && DateTimeOffset.UtcNow - known.CheckedAt < TimeSpan.FromSeconds(5))
        {
            return true;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stored = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select hash from report_rollup_defs where app_key = @app and report_key = @report", new { app = app.Key, report = report.Key }, cancellationToken: ct));
        if (stored == hash)
        {
            ready[(app.Key, report.Key)] = (hash, DateTimeOffset.UtcNow);
            return true;
        }

        ready.TryRemove((app.Key, report.Key), out _);
        return false;
    }

    /// <summary>Builds missing or outdated rollups of the app and drops those of reports that no longer keep one.</summary>
    public async Task SyncAsync(AppDefinition app, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stored = (await connection.QueryAsync<(string Report, string Hash)>(new CommandDefinition(
            "select report_key, hash from report_rollup_defs where app_key = @app", new { app = app.Key }, cancellationToken: ct))).ToDictionary(x => x.Report, x => x.Hash);
        var wanted = app.Reports.Where(r => r.Rollup && ReportRollupShape.Of(app, r, out _) is not null).ToList();
        foreach (var gone in stored.Keys.Where(k => wanted.All(r => r.Key != k)))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from report_rollup_defs where app_key = @app and report_key = @report; delete from report_rollups where app_key = @app and report_key = @report",
                new { app = app.Key, report = gone }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            ready.TryRemove((app.Key, gone), out _);
        }

        foreach (var report in wanted)
        {
            var hash = Hash(report);
            if (stored.GetValueOrDefault(report.Key) != hash)
            {
                await RebuildAsync(connection, app, report, hash, ct);
            }
        }
    }

    private async Task RebuildAsync(NpgsqlConnection connection, AppDefinition app, ReportDefinition report, string hash, CancellationToken ct)
    {
        var shape = ReportRollupShape.Of(app, report, out _)!;
        var (rebuildSource, rebuildParameters) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: false);
        var (deltaSource, deltaParameters) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: true);
        var appLiteral = Persistence.SqlIdentifiers.Literal(app.Key);
        var reportLiteral = Persistence.SqlIdentifiers.Literal(report.Key);
        var components = string.Join(", ", shape.Components.Select((c, i) => $"('{c.Name.Replace("'", "''", StringComparison.Ordinal)}', x.c{i})"));
        var delta = $"""
            insert into report_rollups (app_key, report_key, day, grp, measure, value)
            select {appLiteral}, {reportLiteral}, x.day, x.grp, c.name, $7 * c.value
            from ({deltaSource}) x cross join lateral (values {components}) c(name, value)
            where x.day is not null and c.value is not null and c.value <> 0
            on conflict (app_key, report_key, day, grp, measure) do update set value = report_rollups.value + excluded.value
            """;
        var rebuild = $"""
            insert into report_rollups (app_key, report_key, day, grp, measure, value)
            select {appLiteral}, {reportLiteral}, x.day, x.grp, c.name, sum(c.value)
            from ({rebuildSource}) x cross join lateral (values {components}) c(name, value)
            where x.day is not null and c.value is not null
            group by x.day, x.grp, c.name
            """;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("lock table records in share mode", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from report_rollups where app_key = @app and report_key = @report", new { app = app.Key, report = report.Key }, tx, cancellationToken: ct));
        var rows = await connection.ExecuteAsync(new CommandDefinition(rebuild, new DynamicParameters(rebuildParameters), tx, commandTimeout: 0, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into report_rollup_defs (app_key, report_key, entity_key, hash, delta_sql, params, built_at) values (@app, @report, @entity, @hash, @delta, @params::jsonb, now())
            on conflict (app_key, report_key) do update set entity_key = excluded.entity_key, hash = excluded.hash, delta_sql = excluded.delta_sql, params = excluded.params, built_at = now()
            """,
            new { app = app.Key, report = report.Key, entity = report.Entity, hash, delta, @params = ParametersJson(deltaParameters) },
            tx,
            cancellationToken: ct));
        await tx.CommitAsync(ct);
        ready.TryRemove((app.Key, report.Key), out _);
        logger.LogInformation("Rebuilt rollup {App}.{Report}: {Rows} rows in {Ms} ms", app.Key, report.Key, rows, watch.ElapsedMilliseconds);
    }

    private static string ParametersJson(IReadOnlyDictionary<string, object?> parameters)
    {
        var json = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            json[name] = value switch
            {
                null => null,
                DateTimeOffset at => JsonValue.Create(at.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                DateOnly day => JsonValue.Create(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                System.Collections.IEnumerable items and not string => new JsonArray(items.Cast<object>().Select(i => (JsonNode?)JsonValue.Create(Convert.ToString(i, System.Globalization.CultureInfo.InvariantCulture))).ToArray()),
                bool b => JsonValue.Create(b ? "true" : "false"),
                _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return json.ToJsonString();
    }
}
