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
/// Keeps the daily and monthly rollups of reports marked <c>rollup</c>. A rebuild counts the records once (under a share lock on
/// records so no write slips between the count and the trigger taking over) and stores the report's delta statement;
/// from then on the <c>records_report_rollup</c> trigger applies each insert, update and delete in the writing
/// transaction. A report whose definition changed is rebuilt; until then it is answered from the records.
/// </summary>
public sealed class ReportRollups(NpgsqlDataSource dataSource, ILogger<ReportRollups> logger)
{
    private readonly ConcurrentDictionary<(string App, string Report), (string Hash, DateTimeOffset CheckedAt)> ready = new();

    /// <summary>What the stored rows mean; a change rebuilds every rollup (2: counts of summed values, days of empty dates; 3: months).</summary>
    private const string Format = "3";

    /// <summary>A stable hash of what the rollup depends on: the report definition and the rollup format.</summary>
    public static string Hash(ReportDefinition report) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Format + JsonSerializer.Serialize(report with { Schedules = [], Chart = new ReportChart() }, MetadataJson.Options))))[..32];

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
            // Under the same share lock as a rebuild, so a write whose trigger still ran the old delta cannot leave rows behind.
            await WithDeadlockRetryAsync(app, gone, async () =>
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    lock table records in share mode;
                    delete from report_rollup_defs where app_key = @app and report_key = @report;
                    delete from report_rollups where app_key = @app and report_key = @report;
                    delete from report_rollup_months where app_key = @app and report_key = @report
                    """,
                    new { app = app.Key, report = gone }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
            }, ct);
            ready.TryRemove((app.Key, gone), out _);
        }

        foreach (var report in wanted)
        {
            var hash = Hash(report);
            if (stored.GetValueOrDefault(report.Key) != hash)
            {
                await WithDeadlockRetryAsync(app, report.Key, () => RebuildAsync(connection, app, report, hash, ct), ct);
            }
        }
    }

    /// <summary>
    /// The share lock on records deadlocks with a background CREATE INDEX CONCURRENTLY (which waits for this transaction
    /// while holding a lock the share lock waits for); PostgreSQL fails this side, which then tries again.
    /// </summary>
    private async Task WithDeadlockRetryAsync(AppDefinition app, string report, Func<Task> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                logger.LogWarning("Rollup sync of {App}.{Report} deadlocked (attempt {Attempt}); retrying", app.Key, report, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }

    private async Task RebuildAsync(NpgsqlConnection connection, AppDefinition app, ReportDefinition report, string hash, CancellationToken ct)
    {
        var shape = ReportRollupShape.Of(app, report, out _)!;
        var (rebuildSource, rebuildParameters) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: false);
        var (deltaSource, deltaParameters) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: true);
        var (currentSource, _) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: true, byId: true);
        var appLiteral = Persistence.SqlIdentifiers.Literal(app.Key);
        var reportLiteral = Persistence.SqlIdentifiers.Literal(report.Key);
        var components = string.Join(", ", shape.Components.Select((c, i) => $"('{c.Name.Replace("'", "''", StringComparison.Ordinal)}', x.c{i})"));
        var sums = string.Join(", ", shape.Components.Select((_, i) => $"sum(c{i}) as c{i}"));
        // The trigger applies an update as the old row's delta ($7 = -1) for every report of the entity, then the new
        // row's (+1). So that concurrent writers take the rollup rows' locks in one order (report, then months before days,
        // then key) and cannot deadlock, the old row's delta also touches (+0) the rows of the current version, which an
        // AFTER trigger sees. One statement keeps the day and the month rows: one EXECUTE (one plan) per report and write.
        var delta = $"""
            with d as (
              select x.day, x.grp, c.name, sum(x.sign * c.value) as value
              from (select $7 as sign, o.* from ({deltaSource}) o union all select 0, n.* from ({currentSource}) n where $7 < 0) x
              cross join lateral (values {components}) c(name, value)
              where x.day is not null and c.value is not null and (c.value <> 0 or x.sign = 0)
              group by x.day, x.grp, c.name
            ), days as (
              insert into report_rollups (app_key, report_key, day, grp, measure, value)
              select {appLiteral}, {reportLiteral}, day, grp, name, value from d
              order by day, grp, name
              on conflict (app_key, report_key, day, grp, measure) do update set value = report_rollups.value + excluded.value
            )
            insert into report_rollup_months (app_key, report_key, month, grp, measure, value)
            select {appLiteral}, {reportLiteral}, date_trunc('month', day)::date, grp, name, sum(value) from d
            group by 3, 4, 5
            order by 3, 4, 5
            on conflict (app_key, report_key, month, grp, measure) do update set value = report_rollup_months.value + excluded.value
            """;
        // Summed per (day, group) before the components are unpivoted: the sort is over a few thousand groups, not one row
        // per record and component.
        var rebuild = $"""
            insert into report_rollups (app_key, report_key, day, grp, measure, value)
            select {appLiteral}, {reportLiteral}, x.day, x.grp, c.name, c.value
            from (select day, grp, {sums} from ({rebuildSource}) s where day is not null group by day, grp) x
            cross join lateral (values {components}) c(name, value)
            where c.value is not null
            """;
        const string Months = """
            insert into report_rollup_months (app_key, report_key, month, grp, measure, value)
            select app_key, report_key, date_trunc('month', day)::date, grp, measure, sum(value)
            from report_rollups where app_key = @app and report_key = @report
            group by 1, 2, 3, 4, 5
            """;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("lock table records in share mode", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from report_rollups where app_key = @app and report_key = @report; delete from report_rollup_months where app_key = @app and report_key = @report",
            new { app = app.Key, report = report.Key },
            tx,
            cancellationToken: ct));
        var rows = await connection.ExecuteAsync(new CommandDefinition(rebuild, new DynamicParameters(rebuildParameters), tx, commandTimeout: 0, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Months, new { app = app.Key, report = report.Key }, tx, commandTimeout: 0, cancellationToken: ct));
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
