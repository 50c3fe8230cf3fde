using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Forms;
using Platform.Runtime.Execution;
using Platform.Runtime.Hosting.DemoData;

namespace Platform.Runtime.Hosting;

/// <summary>
/// Loads the generated demo data once: every row is validated by the same form engine as the API (formulas,
/// lookups, references), then all rows go in with one binary COPY and the auto-number sequences are moved
/// past the numbers used, in one transaction.
/// </summary>
public sealed class DemoDataLoader(NpgsqlDataSource dataSource, AppCatalog catalog, RecordValidator validator, TimeProvider time, ILogger<DemoDataLoader> logger)
{
    public async Task<int> LoadIfEmptyAsync(string appKey, int seed, CancellationToken ct)
    {
        var app = await catalog.GetAsync(appKey, ct) ?? throw new InvalidOperationException($"App '{appKey}' is not installed.");
        var watch = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var xactLock = new NpgsqlCommand("select pg_advisory_xact_lock(7226002)", connection, transaction))
        {
            await xactLock.ExecuteNonQueryAsync(ct);
        }

        await using (var guard = new NpgsqlCommand("select exists(select 1 from records where app_key = $1)", connection, transaction))
        {
            guard.Parameters.Add(new NpgsqlParameter { Value = appKey });
            if ((bool)(await guard.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        var generator = new DemoDataGenerator(app, seed, time.GetUtcNow());
        var generated = generator.Generate();
        var lookups = new DemoLookupSource();
        var rows = new List<(DemoRecord Record, string Json)>(generated.Count);
        foreach (var record in generated)
        {
            var entity = app.FindEntity(record.Entity)!;
            var result = validator.Validate(entity, record.Input, new RecordValidationContext
            {
                Now = record.CreatedAt,
                UserName = record.CreatedBy,
                Lookups = lookups,
            });
            if (!result.IsValid)
            {
                throw new InvalidOperationException(
                    $"Demo {record.Entity} does not validate: " + string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
            }

            foreach (var (key, value) in record.System)
            {
                result.Data[key] = value?.DeepClone();
            }

            lookups.Add(record.Entity, record.Id, result.Data);
            rows.Add((record, result.Data.ToJsonString()));
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "copy records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) from stdin (format binary)", ct))
        {
            foreach (var (record, json) in rows)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(record.Id, NpgsqlDbType.Uuid, ct);
                await importer.WriteAsync(appKey, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(record.Entity, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(json, NpgsqlDbType.Jsonb, ct);
                await importer.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(app.Version, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(record.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await importer.WriteAsync(record.CreatedBy, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(record.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await importer.WriteAsync(record.CreatedBy, NpgsqlDbType.Text, ct);
            }

            await importer.CompleteAsync(ct);
        }

        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var (key, value) in generator.Sequences)
            {
                var cmd = new NpgsqlBatchCommand("insert into number_sequences (key, value) values ($1, $2) on conflict (key) do update set value = greatest(number_sequences.value, excluded.value)");
                cmd.Parameters.Add(new NpgsqlParameter { Value = key });
                cmd.Parameters.Add(new NpgsqlParameter { Value = value });
                batch.BatchCommands.Add(cmd);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(ct);
            }
        }

        await using (var analyze = new NpgsqlCommand("analyze records", connection, transaction))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        logger.LogInformation("Loaded {Count} demo records into {App} in {Ms} ms", rows.Count, appKey, watch.ElapsedMilliseconds);
        return rows.Count;
    }
}
