using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Builds the statement that puts a message in the outbox, for a command's own batch (so the message commits or
/// rolls back with the command). The idempotency key is unique: a command that runs twice enqueues once.
/// Payload contracts per kind are documented on the channels in <c>Platform.Runtime.Integrations</c>.
/// </summary>
public static class OutboxCommands
{
    private const string Sql = """
        insert into outbox (id, kind, idempotency_key, payload, status, next_attempt_at, created_at)
        values (gen_random_uuid(), $1, $2, $3, 'pending', $5, $4)
        on conflict (idempotency_key) do nothing
        """;

    /// <summary>
    /// Adds <c>insert into outbox … on conflict (idempotency_key) do nothing</c> to <paramref name="batch"/>, first sent at
    /// <paramref name="notBefore"/> (default: <paramref name="now"/>), and returns it. Its row count is 0 when the key was already there.
    /// </summary>
    public static NpgsqlBatchCommand Insert(NpgsqlBatch batch, string kind, string idempotencyKey, JsonObject payload, DateTimeOffset now, DateTimeOffset? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(payload);
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = kind, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = idempotencyKey, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = payload.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = notBefore ?? now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(command);
        return command;
    }
}
