using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using Platform.Core.Flows.Definitions;
using Platform.Core.Metadata;

namespace Platform.Runtime.Execution;

/// <summary>Published flow versions. A version never changes once written, so each is cached for good.</summary>
public sealed class FlowCatalog(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<(string App, string Flow, int Version), FlowDefinition> cache = new();

    public async ValueTask<FlowDefinition?> GetAsync(string app, string flow, int version, CancellationToken ct)
    {
        if (cache.TryGetValue((app, flow, version), out var found))
        {
            return found;
        }

        await using var cmd = dataSource.CreateCommand("select definition::text from flow_versions where app_key = $1 and flow_key = $2 and version = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = flow });
        cmd.Parameters.Add(new NpgsqlParameter { Value = version });
        if (await cmd.ExecuteScalarAsync(ct) is not string json)
        {
            return null;
        }

        var definition = JsonSerializer.Deserialize<FlowDefinition>(json, MetadataJson.Options)! with { Version = version };
        cache[(app, flow, version)] = definition;
        return definition;
    }

    /// <summary>Every published version of a flow: (version, published at, by).</summary>
    public async Task<IReadOnlyList<(int Version, DateTimeOffset At, string? By)>> VersionsAsync(string app, string flow, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("select version, published_at, published_by from flow_versions where app_key = $1 and flow_key = $2 order by version");
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = flow });
        var list = new List<(int, DateTimeOffset, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add((reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return list;
    }

    /// <summary>
    /// Gives each flow of an app being published its version: the latest stored one when unchanged, else the
    /// next, writing the new rows in the publishing transaction.
    /// </summary>
    public static async Task<IReadOnlyList<FlowDefinition>> AssignVersionsAsync(
        string app, IReadOnlyList<FlowDefinition> flows, string by, DateTimeOffset at, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var result = new List<FlowDefinition>();
        foreach (var flow in flows)
        {
            int latest = 0;
            string? latestJson = null;
            await using (var cmd = new NpgsqlCommand(
                "select version, definition::text from flow_versions where app_key = $1 and flow_key = $2 order by version desc limit 1", connection, transaction))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = app });
                cmd.Parameters.Add(new NpgsqlParameter { Value = flow.Key });
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    latest = reader.GetInt32(0);
                    latestJson = reader.GetString(1);
                }
            }

            var candidate = flow with { Version = 0 };
            if (latestJson is not null && Same(JsonSerializer.Deserialize<FlowDefinition>(latestJson, MetadataJson.Options)! with { Version = 0 }, candidate))
            {
                result.Add(flow with { Version = latest });
                continue;
            }

            var published = flow with { Version = latest + 1 };
            await using (var insert = new NpgsqlCommand(
                "insert into flow_versions (app_key, flow_key, version, entity_key, definition, published_at, published_by) values ($1, $2, $3, $4, $5::jsonb, $6, $7)", connection, transaction))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = app });
                insert.Parameters.Add(new NpgsqlParameter { Value = flow.Key });
                insert.Parameters.Add(new NpgsqlParameter { Value = published.Version });
                insert.Parameters.Add(new NpgsqlParameter { Value = flow.Entity });
                insert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(published, MetadataJson.Options) });
                insert.Parameters.Add(new NpgsqlParameter { Value = at });
                insert.Parameters.Add(new NpgsqlParameter { Value = by });
                await insert.ExecuteNonQueryAsync(ct);
            }

            result.Add(published);
        }

        return result;
    }

    private static bool Same(FlowDefinition a, FlowDefinition b) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(JsonSerializer.SerializeToNode(a, MetadataJson.Options), JsonSerializer.SerializeToNode(b, MetadataJson.Options));
}
