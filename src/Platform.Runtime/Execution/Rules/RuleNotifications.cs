using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Execution.Rules;

/// <summary>In-app notifications written by rules, in the chain's transaction: one statement for the named users and role holders.</summary>
public static class RuleNotifications
{
    /// <summary>Notifies the active users named or holding one of the roles about the event's record; returns who was told.</summary>
    public static async Task<IReadOnlyList<string>> InsertAsync(RuleActionScope scope, string[] users, string[] roles, string title, string? body, CancellationToken ct)
    {
        await using var cmd = scope.Chain.Command("""
            insert into notifications (user_name, kind, title, body, link, created_at)
            select user_name, 'rule', $3, $4, $5, $6 from users where is_active and (user_name = any($1) or roles && $2)
            returning user_name
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = users });
        cmd.Parameters.Add(new NpgsqlParameter { Value = roles });
        cmd.Parameters.Add(new NpgsqlParameter { Value = title });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)body ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = scope.Event.RecordId is { } id ? $"/apps/{scope.Chain.App.Key}/{scope.Event.Entity}/{id}" : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text,
        });
        cmd.Parameters.Add(new NpgsqlParameter { Value = scope.Chain.Now });
        var told = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            told.Add(reader.GetString(0));
        }

        return told;
    }
}
