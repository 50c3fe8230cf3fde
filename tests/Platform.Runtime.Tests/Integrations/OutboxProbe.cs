using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>Enqueues outbox messages the way a command would (<see cref="OutboxCommands"/>) and waits for their outcome.</summary>
internal static class OutboxProbe
{
    public static readonly string[] Final = ["sent", "failed", "refused"];

    public static async Task<Guid> EnqueueAsync(string connectionString, string kind, string key, JsonObject payload, TimeSpan? delay = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        var now = DateTimeOffset.UtcNow;
        OutboxCommands.Insert(batch, kind, key, payload, now, now + (delay ?? TimeSpan.Zero));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select id from outbox where idempotency_key = $1") { Parameters = { new() { Value = key } } });
        return (Guid)(await batch.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until the row reaches <paramref name="statuses"/> (default: a final one); returns (status, attempts, last_error).</summary>
    public static async Task<(string Status, int Attempts, string? LastError)> WaitAsync(string connectionString, Guid id, TimeSpan? timeout = null, params string[] statuses)
    {
        var wanted = statuses.Length > 0 ? statuses : Final;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var row = await RowAsync(connectionString, id);
            if (wanted.Contains(row.Status) || DateTime.UtcNow > deadline)
            {
                return row;
            }

            await Task.Delay(100);
        }
    }

    public static async Task<(string Status, int Attempts, string? LastError)> RowAsync(string connectionString, Guid id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select status, attempts, last_error from outbox where id = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
