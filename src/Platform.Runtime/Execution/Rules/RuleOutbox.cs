using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Queues messages (e-mail, sms, robot, webhook) in the outbox inside the chain's transaction; the dispatcher sends them after commit.</summary>
public static class RuleOutbox
{
    public static async Task QueueAsync(RuleChain chain, string kind, string idempotencyKey, JsonObject payload, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(chain.Connection, chain.Transaction);
        OutboxCommands.Insert(batch, kind, idempotencyKey, payload, chain.Now);
        await batch.ExecuteNonQueryAsync(ct);
    }
}
