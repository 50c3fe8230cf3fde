using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Persistence;

/// <summary>Reads and writes <c>definition_drafts</c>: the designer's unpublished definitions, one per app, kind and key.</summary>
public sealed class DraftStore(NpgsqlDataSource dataSource)
{
    /// <summary>The kinds of definition a draft may hold.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["entity", "flow", "rule", "report", "dashboard"];

    private const string Columns = "app_key, kind, key, body::text, updated_by, updated_at";

    public async Task<DraftRow?> GetAsync(string app, string kind, string key, CancellationToken ct)
    {
        await using var cmd = Command($"select {Columns} from definition_drafts where app_key = $1 and kind = $2 and key = $3", app, kind, key);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>The app's drafts, optionally of one kind, by kind and key.</summary>
    public async Task<IReadOnlyList<DraftRow>> ListAsync(string app, string? kind, CancellationToken ct)
    {
        await using var cmd = Command(
            $"select {Columns} from definition_drafts where app_key = $1 and ($2::text is null or kind = $2) order by kind, key",
            app, (object?)kind ?? DBNull.Value);
        var list = new List<DraftRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Creates or replaces the draft.</summary>
    public async Task<DraftRow> SaveAsync(string app, string kind, string key, JsonObject body, string by, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = Command(
            $"""
            insert into definition_drafts (app_key, kind, key, body, updated_by, updated_at) values ($1, $2, $3, $4, $5, $6)
            on conflict (app_key, kind, key) do update set body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            returning {Columns}
            """,
            app, kind, key, new NpgsqlParameter { Value = body.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb }, by, now);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return Read(reader);
    }

    /// <summary>Deletes the draft; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string app, string kind, string key, CancellationToken ct)
    {
        await using var cmd = Command("delete from definition_drafts where app_key = $1 and kind = $2 and key = $3", app, kind, key);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Deletes the draft inside a publish's transaction, so a failed publish keeps it.</summary>
    public static async Task DeleteAsync(string app, string kind, string key, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("delete from definition_drafts where app_key = $1 and kind = $2 and key = $3", connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private NpgsqlCommand Command(string sql, params object[] args)
    {
        var cmd = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(arg as NpgsqlParameter ?? new NpgsqlParameter { Value = arg });
        }

        return cmd;
    }

    private static DraftRow Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        JsonNode.Parse(reader.GetString(3))!.AsObject(),
        reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5));
}
