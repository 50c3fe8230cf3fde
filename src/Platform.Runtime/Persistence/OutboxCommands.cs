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

    /// <summary>Adds the insert to <paramref name="batch"/> and returns it.</summary>
    public static NpgsqlBatchCommand Insert(NpgsqlBatch batch, string kind, string idempotencyKey, JsonObject payload, DateTimeOffset now) =>
        Insert(batch, kind, idempotencyKey, payload, now, now);

    /// <summary>Adds the insert to <paramref name="batch"/>, not to be sent before <paramref name="notBefore"/>, and returns it.</summary>
    public static NpgsqlBatchCommand Insert(NpgsqlBatch batch, string kind, string idempotencyKey, JsonObject payload, DateTimeOffset now, DateTimeOffset notBefore)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var command = Insert(kind, idempotencyKey, payload, now, notBefore);
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>
    /// The insert as a batch command: <c>insert into outbox … on conflict (idempotency_key) do nothing</c>, due at
    /// <paramref name="now"/>. Its row count is 0 when the key was already there.
    /// </summary>
    public static NpgsqlBatchCommand Insert(string kind, string idempotencyKey, JsonObject payload, DateTimeOffset now) =>
        Insert(kind, idempotencyKey, payload, now, now);

    /// <summary>As <see cref="Insert(string, string, JsonObject, DateTimeOffset)"/>, first sent at <paramref name="notBefore"/>.</summary>
    public static NpgsqlBatchCommand Insert(string kind, string idempotencyKey, JsonObject payload, DateTimeOffset now, DateTimeOffset notBefore)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(payload);
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = kind, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = idempotencyKey, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = payload.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = notBefore, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
