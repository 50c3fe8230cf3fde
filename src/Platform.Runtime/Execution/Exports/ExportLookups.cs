using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// The names an export shows instead of ids: referenced records by their display field and users by their display
/// name. A chunk of records first says what it needs (<see cref="WantRecord"/>, <see cref="WantUser"/>), then one
/// round trip fetches what is not known yet; names stay cached for the rest of the export. With <c>hidden</c> (entity
/// key, field key: withheld from the viewer, see <see cref="Access.RecordAccess.HiddenLabels"/>) a record whose display
/// field is hidden from the viewer is shown as <see cref="Withheld"/>, never by its id.
/// </summary>
public sealed class ExportLookups(string app, Func<string, string, bool>? hidden = null)
{
    /// <summary>What a reference shows when the viewer may not see the referenced record's display field.</summary>
    public const string Withheld = "（无权查看）";

    private readonly Dictionary<(Guid Id, string Field), string?> records = [];
    private readonly Dictionary<string, string> users = new(StringComparer.Ordinal);
    private readonly HashSet<(Guid Id, string Field)> wantedRecords = [];
    private readonly HashSet<string> wantedUsers = new(StringComparer.Ordinal);

    public void WantRecord(string? id, string? displayField)
    {
        if (displayField is not null && Guid.TryParse(id, out var guid) && !records.ContainsKey((guid, displayField)))
        {
            wantedRecords.Add((guid, displayField));
        }
    }

    public void WantUser(string? userName)
    {
        if (!string.IsNullOrEmpty(userName) && !users.ContainsKey(userName))
        {
            wantedUsers.Add(userName);
        }
    }

    /// <summary>The display text of a referenced record; the id itself when the record or its display field is gone.</summary>
    public string Record(string id, string? displayField) =>
        displayField is not null && Guid.TryParse(id, out var guid) && records.TryGetValue((guid, displayField), out var name) && name is not null ? name : id;

    /// <summary>The user's display name, else the user name.</summary>
    public string User(string userName) => users.TryGetValue(userName, out var name) ? name : userName;

    /// <summary>Fetches everything wanted and not yet known, in one round trip.</summary>
    public async Task ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        if (wantedRecords.Count == 0 && wantedUsers.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        var groups = wantedRecords.GroupBy(w => w.Field, StringComparer.Ordinal).ToList();
        foreach (var group in groups)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select id, data->>$2, entity_key from records where app_key = $3 and id = any($1)")
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = group.Select(w => w.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
                    new NpgsqlParameter { Value = group.Key, NpgsqlDbType = NpgsqlDbType.Text },
                    new NpgsqlParameter { Value = app, NpgsqlDbType = NpgsqlDbType.Text },
                },
            });
        }

        if (wantedUsers.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select user_name, display_name from users where user_name = any($1)")
            {
                Parameters = { new NpgsqlParameter { Value = wantedUsers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } },
            });
        }

        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            foreach (var group in groups)
            {
                while (await reader.ReadAsync(ct))
                {
                    records[(reader.GetGuid(0), group.Key)] = hidden?.Invoke(reader.GetString(2), group.Key) == true
                        ? Withheld
                        : reader.IsDBNull(1) ? null : reader.GetString(1);
                }

                await reader.NextResultAsync(ct);
            }

            if (wantedUsers.Count > 0)
            {
                while (await reader.ReadAsync(ct))
                {
                    users[reader.GetString(0)] = reader.GetString(1);
                }
            }
        }

        // Asked once: what was not found is shown by its id or user name, not asked for again.
        foreach (var wanted in wantedRecords)
        {
            records.TryAdd(wanted, null);
        }

        foreach (var user in wantedUsers)
        {
            users.TryAdd(user, user);
        }

        wantedRecords.Clear();
        wantedUsers.Clear();
    }
}
