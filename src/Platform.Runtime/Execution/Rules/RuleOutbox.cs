using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Queues messages (e-mail, sms, robot, webhook) in the outbox inside the chain's transaction; the dispatcher sends them after commit.</summary>
public static class RuleOutbox
{
    public static async Task QueueAsync(RuleChain chain, string kind, string idempotencyKey, JsonObject payload, CancellationToken ct)
    {
        await using var cmd = chain.Command("""
            insert into outbox (id, kind, idempotency_key, payload, next_attempt_at, created_at) values ($1, $2, $3, $4::jsonb, $5, $5)
            on conflict (idempotency_key) do nothing
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = idempotencyKey });
        cmd.Parameters.Add(new NpgsqlParameter { Value = payload.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new NpgsqlParameter { Value = chain.Now });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
