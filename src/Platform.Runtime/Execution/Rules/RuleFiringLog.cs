using System.Text.Json.Nodes;
using Npgsql;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Reads the firing log (newest first): why something fired, the condition, the actions, the chain that led to it. The API and the rule designer both read it here.</summary>
public sealed class RuleFiringLog(NpgsqlDataSource dataSource)
{
    public async Task<JsonArray> ListAsync(string app, string? rule, Guid? record, Guid? chain, int? limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select id, rule_key, trigger, entity_key, record_id, chain_id, seq, parent_seq, depth, status, condition, condition_result, actions::text, error, duration_ms, at, by
            from rule_firings
            where app_key = $1 and ($2::text is null or rule_key = $2) and ($3::uuid is null or record_id = $3) and ($4::uuid is null or chain_id = $4)
            order by id desc limit $5
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)rule ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)record ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)chain ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit ?? 100, 1, 1000) });
        var list = new JsonArray();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new JsonObject
            {
                ["id"] = reader.GetInt64(0), ["rule"] = reader.GetString(1), ["trigger"] = reader.GetString(2),
                ["entity"] = reader.IsDBNull(3) ? null : reader.GetString(3), ["recordId"] = reader.IsDBNull(4) ? null : reader.GetGuid(4).ToString(),
                ["chainId"] = reader.GetGuid(5).ToString(), ["seq"] = reader.GetInt32(6), ["causedBy"] = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                ["depth"] = reader.GetInt32(8), ["status"] = reader.GetString(9), ["condition"] = reader.IsDBNull(10) ? null : reader.GetString(10),
                ["conditionResult"] = reader.IsDBNull(11) ? null : reader.GetBoolean(11), ["actions"] = JsonNode.Parse(reader.GetString(12)),
                ["error"] = reader.IsDBNull(13) ? null : reader.GetString(13), ["durationMs"] = Math.Round(reader.GetDouble(14), 3),
                ["at"] = reader.GetFieldValue<DateTimeOffset>(15), ["by"] = reader.GetString(16),
            });
        }

        return list;
    }
}
