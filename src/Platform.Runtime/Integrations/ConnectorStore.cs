using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Platform.Runtime.Integrations;

/// <summary>
/// Connectors in table <c>connectors</c>. The secret is encrypted with ASP.NET Core Data Protection (keys in
/// PostgreSQL, shared by every node) under <see cref="Purpose"/>; only the cipher text is stored, and only
/// <see cref="FindAsync"/> decrypts it, for sending.
/// </summary>
public sealed class ConnectorStore(NpgsqlDataSource dataSource, IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>The data-protection purpose of connector secrets.</summary>
    public const string Purpose = "Platform.Connectors.Secret.v1";

    private const string Columns = "app_key, key, kind, base_url, settings::text, secret_cipher is not null, updated_at, updated_by";

    private readonly IDataProtector protector = protection.CreateProtector(Purpose);

    /// <summary>An app's connectors, without secrets.</summary>
    public async Task<IReadOnlyList<Connector>> ListAsync(string app, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"select {Columns} from connectors where app_key = $1 order by key");
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Connector>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>One connector; with <paramref name="withSecret"/> its decrypted secret too.</summary>
    public async Task<Connector?> FindAsync(string app, string key, bool withSecret, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"select {Columns}, secret_cipher from connectors where app_key = $1 and key = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var connector = Read(reader);
        return withSecret && !reader.IsDBNull(8) ? connector with { Secret = protector.Unprotect(reader.GetString(8)) } : connector;
    }

    /// <summary>Creates or replaces a connector; returns it (without secret) and whether it was new.</summary>
    public async Task<(Connector Connector, bool Created)> SaveAsync(string app, string key, ConnectorChange change, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var settings = new JsonObject
        {
            ["name"] = change.Name,
            ["headers"] = new JsonObject(change.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))),
            ["auth"] = new JsonObject { ["type"] = change.AuthType, ["userName"] = change.UserName },
            ["timeoutSeconds"] = change.TimeoutSeconds,
            ["retries"] = change.Retries,
        };
        var cipher = change.SecretGiven && change.Secret is { Length: > 0 } secret ? protector.Protect(secret) : null;
        await using var cmd = dataSource.CreateCommand($"""
            insert into connectors as c (app_key, key, kind, base_url, settings, secret_cipher, updated_at, updated_by)
            values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
            on conflict (app_key, key) do update set kind = excluded.kind, base_url = excluded.base_url, settings = excluded.settings,
              secret_cipher = case when $9 then excluded.secret_cipher else c.secret_cipher end, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            returning {Columns}, xmax = 0
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = change.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = change.BaseUrl });
        cmd.Parameters.Add(new NpgsqlParameter { Value = settings.ToJsonString() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)cipher ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = by });
        cmd.Parameters.Add(new NpgsqlParameter { Value = change.SecretGiven });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (Read(reader), reader.GetBoolean(8));
    }

    /// <summary>True when the connector existed and was removed.</summary>
    public async Task<bool> DeleteAsync(string app, string key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("delete from connectors where app_key = $1 and key = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>True when a secret is stored for the connector (without decrypting it).</summary>
    public async Task<bool> HasSecretAsync(string app, string key, CancellationToken ct) =>
        (await FindAsync(app, key, withSecret: false, ct))?.HasSecret ?? false;

    private static Connector Read(NpgsqlDataReader reader)
    {
        var settings = JsonNode.Parse(reader.GetString(4)) as JsonObject ?? [];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (settings["headers"] is JsonObject h)
        {
            foreach (var (name, value) in h)
            {
                headers[name] = value?.ToString() ?? string.Empty;
            }
        }

        var auth = settings["auth"] as JsonObject;
        return new Connector(
            reader.GetString(0),
            reader.GetString(1),
            settings["name"]?.GetValue<string>(),
            reader.GetString(2),
            reader.GetString(3),
            headers,
            auth?["type"]?.GetValue<string>() ?? "none",
            auth?["userName"]?.GetValue<string>(),
            settings["timeoutSeconds"]?.GetValue<int>() ?? Connector.DefaultTimeoutSeconds,
            settings["retries"]?.GetValue<int>() ?? 9,
            reader.GetBoolean(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.IsDBNull(7) ? null : reader.GetString(7));
    }
}
