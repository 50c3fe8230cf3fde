using Npgsql;
using Platform.Core.Metadata;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Keeps per-field indexes in step with metadata: unique fields get a partial unique index (created in the
/// import transaction so a violation rolls the import back), indexed fields and the fields reports filter and group
/// on a partial expression index built concurrently in the background so writes are never blocked.
/// </summary>
public sealed class FieldIndexManager(NpgsqlDataSource dataSource, ILogger<FieldIndexManager> logger)
{
    /// <summary>Creates the unique indexes of the app inside the caller's transaction.</summary>
    public static async Task EnsureUniqueIndexesAsync(AppDefinition app, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        foreach (var (entity, field) in Fields(app, f => f.Unique))
        {
            var name = SqlIdentifiers.IndexName("ux", app.Key, entity.Key, field.Key);
            await using var cmd = new NpgsqlCommand(
                $"create unique index if not exists {name} on records ({FieldSql.Expression(field)}) where app_key = {SqlIdentifiers.Literal(app.Key)} and entity_key = {SqlIdentifiers.Literal(entity.Key)}",
                connection,
                transaction);
            await cmd.ExecuteNonQueryAsync(ct);
            await using var track = new NpgsqlCommand(
                "insert into field_indexes (name, app_key, entity_key, field_key, kind) values ($1, $2, $3, $4, 'unique') on conflict (name) do nothing", connection, transaction);
            track.Parameters.Add(new NpgsqlParameter { Value = name });
            track.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            track.Parameters.Add(new NpgsqlParameter { Value = entity.Key });
            track.Parameters.Add(new NpgsqlParameter { Value = field.Key });
            await track.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>One index build at a time in this process: two CREATE INDEX CONCURRENTLY on records deadlock (partial expression indexes wait for each other's transactions).</summary>
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>
    /// Builds missing expression indexes for indexed fields with CREATE INDEX CONCURRENTLY, one at a time in this
    /// process (the template's build at start-up and an import's build would otherwise deadlock); a build that still
    /// loses a deadlock (another node building at the same time) is tried again.
    /// </summary>
    public async Task EnsureIndexesAsync(AppDefinition app, CancellationToken ct)
    {
        try
        {
            await gate.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }

        try
        {
            var reported = Platform.Core.Reports.ReportFields.Used(app);
            var wanted = Fields(app, f => !f.Unique).Where(x => x.Field.Indexed || reported.Contains((x.Entity.Key, x.Field.Key))).ToList();
            await EnsureStatisticsAsync(wanted.Select(x => x.Field).Concat(Fields(app, f => f.Unique).Select(x => x.Field)), ct);
            foreach (var (entity, field) in wanted)
            {
                var attempt = 1;
                bool? done;
                while ((done = await TryBuildAsync(app, entity, field, attempt, ct)) == false)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt++), ct);
                }

                if (done is null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Expression statistics for the indexed fields: PostgreSQL ignores the statistics of partial indexes, so without
    /// these it guesses a million groups for <c>group by data->>'region'</c> (sorting instead of hashing) and picks the
    /// wrong index for list filters. One statistics object per expression (shared by entities with the same key), then
    /// one ANALYZE when any was added.
    /// </summary>
    private async Task EnsureStatisticsAsync(IEnumerable<FieldDefinition> fields, CancellationToken ct)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var added = false;
            foreach (var expression in fields.Where(f => FieldSql.KindOf(f) != SqlValueKind.Json).Select(FieldSql.Expression).Distinct(StringComparer.Ordinal))
            {
                var name = "stx_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expression)))[..24];
                await using var exists = new NpgsqlCommand("select exists(select 1 from pg_statistic_ext where stxname = $1)", connection);
                exists.Parameters.Add(new NpgsqlParameter { Value = name });
                if ((bool)(await exists.ExecuteScalarAsync(ct))!)
                {
                    continue;
                }

                await using var create = new NpgsqlCommand($"create statistics if not exists {name} on ({expression}) from records", connection);
                await create.ExecuteNonQueryAsync(ct);
                added = true;
            }

            if (added)
            {
                await using var analyze = new NpgsqlCommand("analyze records", connection) { CommandTimeout = 0 };
                await analyze.ExecuteNonQueryAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.QueryCanceled)
        {
            // The host is stopping; the next start adds what is missing.
        }
        catch (PostgresException e)
        {
            logger.LogWarning(e, "Could not create expression statistics");
        }
    }

    /// <summary>True when the index is there (or could not be built, logged), false to try again after a lost deadlock, null when the host is stopping.</summary>
    private async Task<bool?> TryBuildAsync(AppDefinition app, EntityDefinition entity, FieldDefinition field, int attempt, CancellationToken ct)
    {
        var name = SqlIdentifiers.IndexName("ix", app.Key, entity.Key, field.Key);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using (var exists = new NpgsqlCommand(
                "select i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid where c.relname = $1", connection))
            {
                exists.Parameters.Add(new NpgsqlParameter { Value = name });
                switch (await exists.ExecuteScalarAsync(ct))
                {
                    case true:
                        return true;
                    case false:
                        // A CREATE INDEX CONCURRENTLY interrupted by a shutdown or a deadlock leaves an invalid index behind.
                        await using (var drop = new NpgsqlCommand($"drop index concurrently if exists {name}", connection))
                        {
                            await drop.ExecuteNonQueryAsync(ct);
                        }

                        break;
                }
            }

            var kind = FieldSql.KindOf(field) == SqlValueKind.Json ? "using gin " : string.Empty;
            await using var cmd = new NpgsqlCommand(
                $"create index concurrently if not exists {name} on records {kind}({FieldSql.Expression(field)}) where app_key = {SqlIdentifiers.Literal(app.Key)} and entity_key = {SqlIdentifiers.Literal(entity.Key)}",
                connection);
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync(ct);
            await using var track = new NpgsqlCommand(
                "insert into field_indexes (name, app_key, entity_key, field_key, kind) values ($1, $2, $3, $4, 'index') on conflict (name) do nothing", connection);
            track.Parameters.Add(new NpgsqlParameter { Value = name });
            track.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            track.Parameters.Add(new NpgsqlParameter { Value = entity.Key });
            track.Parameters.Add(new NpgsqlParameter { Value = field.Key });
            await track.ExecuteNonQueryAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.QueryCanceled)
        {
            // The host is stopping; the next start finishes what is missing.
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
        {
            logger.LogInformation("Index {Index} lost a deadlock with another index build (another node?); trying again", name);
            return false;
        }
        catch (PostgresException e)
        {
            logger.LogWarning(e, "Could not build index {Index} for {App}.{Entity}.{Field}", name, app.Key, entity.Key, field.Key);
        }
        catch (NpgsqlException) when (ct.IsCancellationRequested)
        {
            return null;
        }

        return true;
    }

    /// <summary>Maps a unique-violation constraint name back to the field it guards.</summary>
    public static string? FieldOfUniqueIndex(AppDefinition app, EntityDefinition entity, string? constraint) =>
        constraint is null ? null : entity.Fields.FirstOrDefault(f => f.Unique && SqlIdentifiers.IndexName("ux", app.Key, entity.Key, f.Key) == constraint)?.Key;

    private static IEnumerable<(EntityDefinition Entity, FieldDefinition Field)> Fields(AppDefinition app, Func<FieldDefinition, bool> predicate) =>
        app.Entities.SelectMany(e => e.Fields.Where(predicate).Select(f => (e, f)));
}
