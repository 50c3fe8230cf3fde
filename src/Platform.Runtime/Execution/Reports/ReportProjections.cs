using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Reports;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// Keeps the report projections (<see cref="ReportProjectionShape"/>) of an app's entities: builds a missing or outdated one
/// from the records and from then on its trigger keeps it in every writing transaction; drops those no report reads. The
/// build holds the lock CREATE TRIGGER takes on records (writes wait; none slips between the backfill and the trigger).
/// Until a projection is built for the current definition its reports read the records.
/// </summary>
public sealed class ReportProjections(NpgsqlDataSource dataSource, ILogger<ReportProjections> logger)
{
    private readonly ConcurrentDictionary<(string App, string Entity), (string Hash, DateTimeOffset CheckedAt)> ready = new();

    // Shapes and their hashes per definition (immutable: a published version is a new instance), not per report request.
    private readonly ConditionalWeakTable<AppDefinition, ConcurrentDictionary<string, (ReportProjectionShape? Shape, string? Hash)>> shapes = new();

    /// <summary>The entity's projection when it is built for the app's current definition, else null.</summary>
    public async Task<ReportProjectionShape?> ReadyAsync(AppDefinition app, string entityKey, CancellationToken ct)
    {
        var (shape, hash) = shapes.GetOrCreateValue(app).GetOrAdd(
            entityKey, key => app.FindEntity(key) is { } entity && ReportProjectionShape.Of(app, entity) is { } of ? (of, of.Hash) : (null, null));
        if (shape is null || hash is null)
        {
            return null;
        }

        if (ready.TryGetValue((app.Key, entityKey), out var known) && known.Hash == hash && DateTimeOffset.UtcNow - known.CheckedAt < TimeSpan.FromSeconds(5))
        {
            return shape;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stored = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select hash from report_projections where app_key = @app and entity_key = @entity", new { app = app.Key, entity = entityKey }, cancellationToken: ct));
        if (stored == hash)
        {
            ready[(app.Key, entityKey)] = (hash, DateTimeOffset.UtcNow);
            return shape;
        }

        ready.TryRemove((app.Key, entityKey), out _);
        return null;
    }

    /// <summary>Forgets what is known of the entity's projection (a reader found its table gone).</summary>
    public void Forget(string app, string entity) => ready.TryRemove((app, entity), out _);

    /// <summary>Builds missing or outdated projections of the app's entities and drops those no report reads any more.</summary>
    public async Task SyncAsync(AppDefinition app, CancellationToken ct)
    {
        var wanted = app.Entities.Select(e => ReportProjectionShape.Of(app, e)).OfType<ReportProjectionShape>().ToDictionary(s => s.Entity, StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stored = (await connection.QueryAsync<(string Entity, string Hash)>(new CommandDefinition(
            "select entity_key, hash from report_projections where app_key = @app", new { app = app.Key }, cancellationToken: ct))).ToList();
        foreach (var (entity, _) in stored.Where(s => !wanted.ContainsKey(s.Entity)))
        {
            await Persistence.DeadlockRetry.RunAsync(() => ReplaceAsync(connection, app.Key, entity, null, ct), logger, $"Report projection sync of {app.Key}.{entity}", Persistence.DeadlockRetry.IndexBuildDelay, ct);
        }

        foreach (var shape in wanted.Values.Where(w => stored.All(s => s.Entity != w.Entity || s.Hash != w.Hash)))
        {
            await Persistence.DeadlockRetry.RunAsync(() => ReplaceAsync(connection, app.Key, shape.Entity, shape, ct), logger, $"Report projection sync of {app.Key}.{shape.Entity}", Persistence.DeadlockRetry.IndexBuildDelay, ct);
        }
    }

    /// <summary>Drops the entity's stored projection (if any) and builds <paramref name="shape"/> in its place (unless null), in one transaction.</summary>
    private async Task ReplaceAsync(NpgsqlConnection connection, string app, string entity, ReportProjectionShape? shape, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long rows = 0;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // The lock CREATE TRIGGER takes anyway, taken first: syncs of one app on several nodes take turns here.
            await connection.ExecuteAsync(new CommandDefinition("lock table records in share row exclusive mode", transaction: tx, cancellationToken: ct));
            var current = await connection.QuerySingleOrDefaultAsync<(string Table, string Hash)?>(new CommandDefinition(
                "select table_name, hash from report_projections where app_key = @app and entity_key = @entity", new { app, entity }, tx, cancellationToken: ct));
            if (current?.Hash == shape?.Hash)
            {
                return;
            }

            if (current is { } old)
            {
                foreach (var sql in ReportProjectionSql.Drop(old.Table))
                {
                    await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "delete from report_projections where app_key = @app and entity_key = @entity", new { app, entity }, tx, cancellationToken: ct));
            }

            if (shape is not null)
            {
                foreach (var sql in ReportProjectionSql.Create(shape))
                {
                    rows = await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, commandTimeout: 0, cancellationToken: ct));
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into report_projections (app_key, entity_key, table_name, hash, built_at) values (@app, @entity, @table, @hash, now())",
                    new { app, entity, table = shape.Table, hash = shape.Hash },
                    tx,
                    cancellationToken: ct));
            }

            await tx.CommitAsync(ct);
        }

        ready.TryRemove((app, entity), out _);
        if (shape is not null)
        {
            // Statistics now rather than at autovacuum's next round: the first reports group by these columns.
            await connection.ExecuteAsync(new CommandDefinition($"analyze {Persistence.SqlIdentifiers.Name(shape.Table)}", commandTimeout: 0, cancellationToken: ct));
            logger.LogInformation("Built report projection {App}.{Entity} ({Table}): {Rows} rows in {Ms} ms", app, entity, shape.Table, rows, watch.ElapsedMilliseconds);
        }
        else
        {
            logger.LogInformation("Dropped report projection {App}.{Entity}", app, entity);
        }
    }
}
