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
/// Keeps the daily and monthly rollups of reports marked <c>rollup</c>. A rebuild counts the records once (under a lock on
/// records so no write slips between the count and the trigger taking over), stores the report's delta statement and
/// regenerates the trigger function of the report's entity (<see cref="EntityTriggerSql"/>: the deltas of all the entity's
/// rolled-up reports as static SQL); from then on it applies each insert, update and delete in the writing transaction.
/// A report whose definition changed is rebuilt; until then it is answered from the records.
/// </summary>
public sealed class ReportRollups(NpgsqlDataSource dataSource, ILogger<ReportRollups> logger)
{
    private readonly ConcurrentDictionary<(string App, string Report), (string Hash, DateTimeOffset CheckedAt)> ready = new();

    /// <summary>
    /// What the stored rows mean; a change rebuilds every rollup (2: counts of summed values, days of empty dates; 3: months;
    /// 4: static deltas in a trigger function per entity).
    /// </summary>
    private const string Format = "4";

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
            // Under the same lock as a rebuild, so a write whose trigger still ran the old delta cannot leave rows behind.
            await Persistence.DeadlockRetry.RunAsync(async () =>
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(LockRecords, transaction: tx, cancellationToken: ct));
                var entity = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    """
                    delete from report_rollup_defs where app_key = @app and report_key = @report returning entity_key
                    """,
                    new { app = app.Key, report = gone }, tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    delete from report_rollups where app_key = @app and report_key = @report;
                    delete from report_rollup_months where app_key = @app and report_key = @report
                    """,
                    new { app = app.Key, report = gone }, tx, cancellationToken: ct));
                if (entity is not null)
                {
                    await WriteTriggerAsync(connection, tx, app, entity, ct);
                }

                await tx.CommitAsync(ct);
            }, logger, $"Rollup sync of {app.Key}.{gone}", Persistence.DeadlockRetry.IndexBuildDelay, ct);
            ready.TryRemove((app.Key, gone), out _);
        }

        foreach (var report in wanted)
        {
            var hash = Hash(report);
            if (stored.GetValueOrDefault(report.Key) != hash)
            {
                await Persistence.DeadlockRetry.RunAsync(() => RebuildAsync(connection, app, report, hash, ct), logger, $"Rollup sync of {app.Key}.{report.Key}", Persistence.DeadlockRetry.IndexBuildDelay, ct);
            }
        }
    }

    /// <summary>
    /// The lock a rebuild holds on records: writes wait (none slips between the count and the trigger), and it is the lock
    /// CREATE TRIGGER takes anyway, so two syncs (other nodes) take turns instead of deadlocking on the upgrade.
    /// </summary>
    private const string LockRecords = "lock table records in share row exclusive mode";

    /// <summary>
    /// The name the entity's rollup triggers start with (<c>_w</c>, <c>_d</c>; the function is <c>_sync</c>): a hash of app
    /// and entity, so any key length fits.
    /// </summary>
    public static string TriggerName(string app, string entity) =>
        "report_rollup_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(app + "\n" + entity)))[..16];

    /// <summary>
    /// Regenerates the entity's rollup trigger function from the stored deltas of its reports (in report order, so concurrent
    /// writers lock rollup rows in one order), or drops it when none is left. Runs in the transaction that changed the deltas.
    /// </summary>
    private static async Task WriteTriggerAsync(NpgsqlConnection connection, NpgsqlTransaction tx, AppDefinition app, string entity, CancellationToken ct)
    {
        // Only deltas of the current definitions: one stored by an older format or definition (rebuilt later in the same
        // sync, not read until then) may not even compile in this function.
        var current = app.Reports.Where(r => r.Rollup).Select(Hash).ToHashSet(StringComparer.Ordinal);
        var deltas = (await connection.QueryAsync<(string Hash, string Delta)>(new CommandDefinition(
            "select hash, delta_sql from report_rollup_defs where app_key = @app and entity_key = @entity order by report_key collate \"C\"",
            new { app = app.Key, entity }, tx, cancellationToken: ct))).Where(d => current.Contains(d.Hash)).Select(d => d.Delta).ToList();
        var name = TriggerName(app.Key, entity);
        IReadOnlyList<string> statements;
        if (deltas.Count == 0)
        {
            statements = EntityTriggerSql.Drop(name + "_sync", name);
        }
        else
        {
            var variables = ReportSqlCompiler.TriggerRowVariables;
            string Take(string row) => string.Concat(variables.Select(v => $"\n    {v.Name} := {row}.{v.Column};"));
            var statementsText = string.Concat(deltas.Select(d => "\n    " + d.Replace("\n", "\n    ", StringComparison.Ordinal) + ";"));
            var body = $"""
                declare
                {string.Join("\n", variables.Select(v => $"  {v.Name} {v.Type};"))}
                  rollup_sign integer;
                begin
                  if tg_op = 'UPDATE' and old.data = new.data and old.created_at = new.created_at and old.created_by = new.created_by then
                    return null;
                  end if;
                  if tg_op in ('UPDATE', 'DELETE') then{Take("old")}
                    rollup_sign := -1;{statementsText}
                  end if;
                  if tg_op in ('INSERT', 'UPDATE') then{Take("new")}
                    rollup_sign := 1;{statementsText}
                  end if;
                  return null;
                end
                """;
            statements = EntityTriggerSql.Create(name + "_sync", name, app.Key, entity, body);
        }

        foreach (var sql in statements)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
        }
    }

    private async Task RebuildAsync(NpgsqlConnection connection, AppDefinition app, ReportDefinition report, string hash, CancellationToken ct)
    {
        var shape = ReportRollupShape.Of(app, report, out _)!;
        var (rebuildSource, rebuildParameters) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: false);
        var (deltaSource, _) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: true);
        var (currentSource, _) = ReportSqlCompiler.CompileRollupSource(app, report, shape, delta: true, byId: true);
        var appLiteral = Persistence.SqlIdentifiers.Literal(app.Key);
        var reportLiteral = Persistence.SqlIdentifiers.Literal(report.Key);
        var components = string.Join(", ", shape.Components.Select((c, i) => $"('{c.Name.Replace("'", "''", StringComparison.Ordinal)}', x.c{i})"));
        var sums = string.Join(", ", shape.Components.Select((_, i) => $"sum(c{i}) as c{i}"));
        // The trigger applies an update as the old row's delta (rollup_sign = -1) for every report of the entity, then the new
        // row's (+1). So that concurrent writers take the rollup rows' locks in one order (report, then months before days,
        // then key) and cannot deadlock, the old row's delta also touches (+0) the rows of the current version, which an
        // AFTER trigger sees. One statement keeps the day and the month rows: one plan per report, cached per session.
        var delta = $"""
            with d as (
              select x.day, x.grp, c.name, sum(x.sign * c.value) as value
              from (select rollup_sign as sign, o.* from ({deltaSource}) o union all select 0, n.* from ({currentSource}) n where rollup_sign < 0) x
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
        await connection.ExecuteAsync(new CommandDefinition(LockRecords, transaction: tx, cancellationToken: ct));
        var formerEntity = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select entity_key from report_rollup_defs where app_key = @app and report_key = @report", new { app = app.Key, report = report.Key }, tx, cancellationToken: ct));
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
            new { app = app.Key, report = report.Key, entity = report.Entity, hash, delta, @params = "{}" },
            tx,
            cancellationToken: ct));
        await WriteTriggerAsync(connection, tx, app, report.Entity!, ct);
        if (formerEntity is not null && formerEntity != report.Entity)
        {
            await WriteTriggerAsync(connection, tx, app, formerEntity, ct);
        }

        await tx.CommitAsync(ct);
        ready.TryRemove((app.Key, report.Key), out _);
        logger.LogInformation("Rebuilt rollup {App}.{Report}: {Rows} rows in {Ms} ms", app.Key, report.Key, rows, watch.ElapsedMilliseconds);
    }
}
