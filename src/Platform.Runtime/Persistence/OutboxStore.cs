using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Api;

namespace Platform.Runtime.Persistence;

/// <summary>Reads the outbox and its delivery log for the administrator's API.</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, kind, idempotency_key, status, attempts, payload::text, created_at, next_attempt_at, sent_at, lease_until, claimed_by, last_error";

    /// <summary>Newest first, filtered by status and kind when given.</summary>
    public async Task<OutboxListDto> ListAsync(string? status, string? kind, int limit, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        const string Where = "where ($1::text is null or status = $1) and ($2::text is null or kind = $2)";
        batch.BatchCommands.Add(Command($"select {Columns} from outbox {Where} order by created_at desc, id limit $3", status, kind, limit));
        batch.BatchCommands.Add(Command($"select count(*) from outbox {Where}", status, kind));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var items = new List<OutboxMessageDto>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(Read(reader, null));
        }

        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return new OutboxListDto(items, reader.GetInt64(0));
    }

    /// <summary>One message with every delivery attempt, or null.</summary>
    public async Task<OutboxMessageDto?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"select {Columns} from outbox where id = $1", id));
        batch.BatchCommands.Add(Command("select attempt, at, node, outcome, status_code, error, duration_ms from outbox_attempts where outbox_id = $1 order by attempt", id));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var message = Read(reader, []);
        await reader.NextResultAsync(ct);
        var attempts = new List<OutboxAttemptDto>();
        while (await reader.ReadAsync(ct))
        {
            attempts.Add(new OutboxAttemptDto(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6)));
        }

        return message with { Deliveries = attempts };
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] args)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(arg is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = arg });
        }

        return cmd;
    }

    private static OutboxMessageDto Read(NpgsqlDataReader r, IReadOnlyList<OutboxAttemptDto>? attempts) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), JsonNode.Parse(r.GetString(5)),
        r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), attempts);
}
