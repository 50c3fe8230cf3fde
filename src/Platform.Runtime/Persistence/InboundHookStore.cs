using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Persistence;

/// <summary>Reads and writes <c>inbound_hooks</c> and the idempotency log <c>inbound_deliveries</c>.</summary>
public sealed class InboundHookStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "app_key, key, entity_key, match_field, mapping::text, token_hash, enabled, created_at, updated_at";

    public async Task<IReadOnlyList<InboundHookRow>> ListAsync(string app, CancellationToken ct)
    {
        await using var cmd = Command($"select {Columns} from inbound_hooks where app_key = $1 order by key", app);
        var list = new List<InboundHookRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task<InboundHookRow?> GetAsync(string app, string key, CancellationToken ct)
    {
        await using var cmd = Command($"select {Columns} from inbound_hooks where app_key = $1 and key = $2", app, key);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Creates or replaces the configuration (the token is kept); returns the row and whether it was new.</summary>
    public async Task<(InboundHookRow Row, bool Created)> UpsertAsync(
        string app, string key, string entity, string? matchField, JsonObject mapping, bool enabled, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = Command(
            $"""
            insert into inbound_hooks (app_key, key, entity_key, match_field, mapping, enabled, created_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $7)
            on conflict (app_key, key) do update set entity_key = excluded.entity_key, match_field = excluded.match_field,
              mapping = excluded.mapping, enabled = excluded.enabled, updated_at = excluded.updated_at
            returning {Columns}, xmax = 0
            """,
            app, key, entity, (object?)matchField ?? DBNull.Value, Jsonb(mapping), enabled, now);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (Read(reader), reader.GetBoolean(9));
    }

    /// <summary>Replaces the token hash, which invalidates the previous token at once.</summary>
    public async Task<bool> SetTokenHashAsync(string app, string key, string tokenHash, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = Command("update inbound_hooks set token_hash = $3, updated_at = $4 where app_key = $1 and key = $2", app, key, tokenHash, now);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<bool> DeleteAsync(string app, string key, CancellationToken ct)
    {
        await using var cmd = Command(
            """
            with d as (delete from inbound_deliveries where app_key = $1 and hook_key = $2)
            delete from inbound_hooks where app_key = $1 and key = $2
            """,
            app, key);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>
    /// Claims an idempotency key: null when this caller owns it now (new, or its earlier use is older than
    /// <paramref name="expiredBefore"/>), else the delivery recorded under it. Expired entries of the hook are purged on the way.
    /// </summary>
    public async Task<InboundDelivery?> ClaimAsync(string app, string hook, string idempotencyKey, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(BatchCommand(
            """
            with purge as (delete from inbound_deliveries where app_key = $1 and hook_key = $2 and at < $5 and idempotency_key <> $3)
            insert into inbound_deliveries (app_key, hook_key, idempotency_key, status_code, response, at) values ($1, $2, $3, 0, null, $4)
            on conflict (app_key, hook_key, idempotency_key) do update set status_code = 0, response = null, at = excluded.at
              where inbound_deliveries.at < $5
            returning true
            """,
            app, hook, idempotencyKey, now, expiredBefore));
        batch.BatchCommands.Add(BatchCommand(
            "select status_code, response::text from inbound_deliveries where app_key = $1 and hook_key = $2 and idempotency_key = $3", app, hook, idempotencyKey));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var claimed = await reader.ReadAsync(ct);
        await reader.NextResultAsync(ct);
        if (claimed || !await reader.ReadAsync(ct))
        {
            return null;
        }

        return new InboundDelivery(reader.GetInt32(0), reader.IsDBNull(1) ? null : JsonNode.Parse(reader.GetString(1))!.AsObject());
    }

    /// <summary>Records the answer given to a claimed key.</summary>
    public async Task CompleteAsync(string app, string hook, string idempotencyKey, int statusCode, JsonObject response, CancellationToken ct)
    {
        await using var cmd = Command(
            "update inbound_deliveries set status_code = $4, response = $5 where app_key = $1 and hook_key = $2 and idempotency_key = $3",
            app, hook, idempotencyKey, statusCode, Jsonb(response));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Gives a claimed key back (the delivery failed unexpectedly), so a retry is processed again.</summary>
    public async Task ReleaseAsync(string app, string hook, string idempotencyKey, CancellationToken ct)
    {
        await using var cmd = Command(
            "delete from inbound_deliveries where app_key = $1 and hook_key = $2 and idempotency_key = $3 and status_code = 0", app, hook, idempotencyKey);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Jsonb(JsonObject value) => new() { Value = value.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb };

    private NpgsqlCommand Command(string sql, params object?[] args)
    {
        var cmd = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(arg as NpgsqlParameter ?? new NpgsqlParameter { Value = arg });
        }

        return cmd;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object[] args)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return cmd;
    }

    private static InboundHookRow Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        JsonNode.Parse(r.GetString(4)) as JsonObject ?? [],
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetBoolean(6),
        r.GetFieldValue<DateTimeOffset>(7),
        r.GetFieldValue<DateTimeOffset>(8));
}
