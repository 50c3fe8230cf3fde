using Dapper;
using Npgsql;
using Platform.Core.Metadata;

namespace Platform.Runtime.Execution.Aggregates;

/// <summary>
/// Keeps <c>record_aggregates</c> in step with an app's published aggregate fields and recomputes the stored values of the
/// records holding a new or changed one. From then on the <c>records_aggregate_*</c> triggers (migration M0020) keep every
/// value right in each writing transaction; nothing in the application writes one.
/// </summary>
public sealed class RecordAggregates(NpgsqlDataSource dataSource, ILogger<RecordAggregates> logger)
{
    /// <summary>Makes the aggregate triggers stand aside for the rest of the transaction (a bulk load); <see cref="RecomputeAsync"/> after it.</summary>
    public static async Task DeferAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(new CommandDefinition("select set_config('platform.defer_aggregates', 'on', true)", transaction: transaction, cancellationToken: ct));
    }

    /// <summary>Ends a deferral and recomputes every aggregate of the app once, in the transaction.</summary>
    public static async Task<int> RecomputeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string appKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(new CommandDefinition("select set_config('platform.defer_aggregates', 'off', true)", transaction: transaction, cancellationToken: ct));
        return await connection.ExecuteAsync(new CommandDefinition(
            "update records set data = data where app_key = @app and entity_key in (select entity_key from record_aggregates where app_key = @app)",
            new { app = appKey }, transaction, commandTimeout: 0, cancellationToken: ct));
    }

    /// <summary>Stores the app's compiled aggregates when they changed and recomputes the records of the changed entities.</summary>
    public async Task SyncAsync(AppDefinition app, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        var wanted = AggregateSqlCompiler.Compile(app);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stored = (await connection.QueryAsync<(string Entity, string Field, string Hash)>(new CommandDefinition(
            "select entity_key, field_key, hash from record_aggregates where app_key = @app", new { app = app.Key }, cancellationToken: ct))).ToList();
        var changed = wanted.Where(w => !stored.Any(s => s.Entity == w.Entity && s.Field == w.Field && s.Hash == w.Hash)).ToList();
        var gone = stored.Where(s => !wanted.Any(w => w.Entity == s.Entity && w.Field == s.Field)).ToList();
        if (changed.Count == 0 && gone.Count == 0)
        {
            return;
        }

        // The share lock deadlocks with a background CREATE INDEX CONCURRENTLY; PostgreSQL fails this side.
        await Persistence.DeadlockRetry.RunAsync(
            () => ReplaceAsync(connection, app, wanted, changed.Select(c => c.Entity).Distinct(StringComparer.Ordinal).ToArray(), ct),
            logger, $"Aggregate sync of {app.Key}", Persistence.DeadlockRetry.IndexBuildDelay, ct);
    }

    /// <summary>
    /// The triggers fire only for the (app, entity) pairs of every app's aggregates: targets for the compute trigger, counted
    /// entities for the touch trigger. Under the share lock on records, so no write runs between the rows and the triggers.
    /// </summary>
    private static async Task RewriteTriggersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var pairs = (await connection.QueryAsync<(string App, string Entity, string Source)>(new CommandDefinition(
            "select app_key, entity_key, source_entity from record_aggregates order by 1, 2, 3", transaction: tx, cancellationToken: ct))).ToList();
        static string When(string row, IEnumerable<(string App, string Entity)> keys)
        {
            var list = keys.Distinct().Select(k => $"({Persistence.SqlIdentifiers.Literal(k.App)}, {Persistence.SqlIdentifiers.Literal(k.Entity)})").ToList();
            return list.Count == 0 ? "false" : $"({row}.app_key, {row}.entity_key) in ({string.Join(", ", list)})";
        }

        var targets = When("new", pairs.Select(p => (p.App, p.Entity)));
        var sources = pairs.Select(p => (p.App, p.Source)).ToList();
        // App and entity of a record never change, so an update is decided by its new row.
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            create or replace trigger records_aggregate_compute before insert or update on records
              for each row when ({targets}) execute function platform_record_aggregate_compute();
            create or replace trigger records_aggregate_touch after insert or update on records
              for each row when ({When("new", sources)}) execute function platform_record_aggregate_touch();
            create or replace trigger records_aggregate_touch_delete after delete on records
              for each row when ({When("old", sources)}) execute function platform_record_aggregate_touch();
            """,
            transaction: tx,
            cancellationToken: ct));
    }

    private async Task ReplaceAsync(NpgsqlConnection connection, AppDefinition app, IReadOnlyList<CompiledAggregate> wanted, string[] recompute, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Writes wait while the definitions change and the values are recounted, so none slips between the two.
        await connection.ExecuteAsync(new CommandDefinition("lock table records in share mode", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("delete from record_aggregates where app_key = @app", new { app = app.Key }, tx, cancellationToken: ct));
        foreach (var a in wanted)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into record_aggregates (app_key, entity_key, field_key, source_entity, reference_key, watched, value_sql, params, hash)
                values (@app, @entity, @field, @source, @reference, @watched, @sql, @params::jsonb, @hash)
                """,
                new { app = app.Key, entity = a.Entity, field = a.Field, source = a.SourceEntity, reference = a.Reference, watched = a.Watched.ToArray(), sql = a.ValueSql, @params = a.Parameters, hash = a.Hash },
                tx,
                cancellationToken: ct));
        }

        await RewriteTriggersAsync(connection, tx, ct);
        var rows = 0;
        if (recompute.Length > 0)
        {
            // A write of the same data: the compute trigger fills in the aggregates; version and audit columns stay.
            rows = await connection.ExecuteAsync(new CommandDefinition(
                "update records set data = data where app_key = @app and entity_key = any(@entities)", new { app = app.Key, entities = recompute }, tx, commandTimeout: 0, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        logger.LogInformation("Synced aggregates of {App}: {Count} fields, {Rows} records recomputed in {Ms} ms", app.Key, wanted.Count, rows, watch.ElapsedMilliseconds);
    }
}
