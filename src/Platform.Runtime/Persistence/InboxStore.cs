using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Api;

namespace Platform.Runtime.Persistence;

/// <summary>Read side of the flow engine: inbox boxes, instance details, notifications.</summary>
public sealed class InboxStore(NpgsqlDataSource dataSource)
{
    private const string TaskColumns = "id, app_key, entity_key, record_id, instance_id, step, step_name, title, kind, assignee, role, status, created_at, due_at, closed_at, action, comment";

    /// <summary>todo (assigned to me or a role I hold), done (decided by me), cc (copied to me), started (tasks of flows I started).</summary>
    public async Task<IReadOnlyList<TaskDto>> TasksAsync(string box, string user, IReadOnlyList<string> roles, int limit, CancellationToken ct)
    {
        var sql = box switch
        {
            "done" => $"select {TaskColumns} from flow_tasks where status = 'done' and closed_by = $1 order by closed_at desc limit $3",
            "cc" => $"select {TaskColumns} from flow_tasks where status = 'cc' and assignee = $1 order by created_at desc limit $3",
            "started" => $"""
                select {TaskColumns} from flow_tasks where instance_id in (select id from flow_instances where started_by = $1 order by started_at desc limit $3)
                  and status in ('open', 'waiting') order by created_at desc limit $3
                """,
            _ => $"""
                select {TaskColumns} from flow_tasks where status = 'open' and assignee = $1
                union all
                select {TaskColumns} from flow_tasks where status = 'open' and assignee is null and role = any($2)
                order by created_at limit $3
                """,
        };
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = user });
        cmd.Parameters.Add(new NpgsqlParameter { Value = roles.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadTasksAsync(cmd, ct);
    }

    public async Task<FlowInstanceDto?> InstanceAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    select flow_key, version, status, coalesce((select array_agg(a->>'step') from jsonb_array_elements(state->'active') a), '{}'),
                      app_key, entity_key, record_id, started_by, started_at, ended_at from flow_instances where id = $1
                    """) { Parameters = { new NpgsqlParameter { Value = id } } },
                new NpgsqlBatchCommand("select seq, step, step_name, action, by, at, comment, to_value, fields::text from flow_history where instance_id = $1 order by seq")
                    { Parameters = { new NpgsqlParameter { Value = id } } },
                new NpgsqlBatchCommand("select step, kind, due_at from timers where instance_id = $1 order by due_at") { Parameters = { new NpgsqlParameter { Value = id } } },
                new NpgsqlBatchCommand($"select {TaskColumns} from flow_tasks where instance_id = $1 and status in ('open', 'waiting') order by created_at")
                    { Parameters = { new NpgsqlParameter { Value = id } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var head = (Flow: reader.GetString(0), Version: reader.GetInt32(1), Status: reader.GetString(2), Active: reader.GetFieldValue<string[]>(3),
            App: reader.GetString(4), Entity: reader.GetString(5), Record: reader.GetGuid(6), By: reader.GetString(7),
            At: reader.GetFieldValue<DateTimeOffset>(8), Ended: reader.IsDBNull(9) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(9));
        await reader.NextResultAsync(ct);
        var history = new List<FlowHistoryDto>();
        while (await reader.ReadAsync(ct))
        {
            history.Add(new FlowHistoryDto(
                reader.GetInt32(0), reader.GetString(1), Str(reader, 2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5),
                Str(reader, 6), Str(reader, 7), reader.IsDBNull(8) ? null : JsonNode.Parse(reader.GetString(8)) as JsonObject));
        }

        await reader.NextResultAsync(ct);
        var timers = new List<FlowTimerDto>();
        while (await reader.ReadAsync(ct))
        {
            timers.Add(new FlowTimerDto(reader.IsDBNull(0) ? string.Empty : reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        await reader.NextResultAsync(ct);
        var tasks = new List<TaskDto>();
        while (await reader.ReadAsync(ct))
        {
            tasks.Add(ReadTask(reader));
        }

        return new FlowInstanceDto(id, head.Flow, head.Version, head.Status, head.Active, head.App, head.Entity, head.Record, head.By, head.At, head.Ended, history, timers, tasks);
    }

    /// <summary>The public history of a record's newest flow, oldest first (the customer's tracking timeline).</summary>
    public async Task<(string Status, IReadOnlyList<FlowHistoryDto> Timeline)?> PublicTimelineAsync(Guid recordId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            with i as (select id, status from flow_instances where record_id = $1 order by started_at desc limit 1)
            select i.status, h.seq, h.step, h.step_name, h.action, h.by, h.at, h.comment, h.to_value
            from i left join flow_history h on h.instance_id = i.id and h.public order by h.seq
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = recordId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        string? status = null;
        var list = new List<FlowHistoryDto>();
        while (await reader.ReadAsync(ct))
        {
            status = reader.GetString(0);
            if (!reader.IsDBNull(1))
            {
                list.Add(new FlowHistoryDto(reader.GetInt32(1), reader.GetString(2), Str(reader, 3), reader.GetString(4), reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6), Str(reader, 7), Str(reader, 8), null));
            }
        }

        return status is null ? null : (status, list);
    }

    public async Task<(IReadOnlyList<NotificationDto> Items, long Unread)> NotificationsAsync(string user, bool unreadOnly, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            select id, kind, title, body, link, instance_id, task_id, created_at, read_at, (select count(*) from notifications where user_name = $1 and read_at is null)
            from notifications where user_name = $1 {(unreadOnly ? "and read_at is null" : string.Empty)} order by id desc limit $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = user });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        var list = new List<NotificationDto>();
        long unread = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new NotificationDto(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Str(reader, 3), Str(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.IsDBNull(6) ? null : reader.GetGuid(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
            unread = reader.GetInt64(9);
        }

        if (list.Count == 0)
        {
            await using var count = dataSource.CreateCommand("select count(*) from notifications where user_name = $1 and read_at is null");
            count.Parameters.Add(new NpgsqlParameter { Value = user });
            unread = (long)(await count.ExecuteScalarAsync(ct))!;
        }

        return (list, unread);
    }

    /// <summary>Marks one (or, with null, every) notification of the user read; returns how many changed.</summary>
    public async Task<int> MarkReadAsync(string user, long? id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            $"update notifications set read_at = now() where user_name = $1 and read_at is null {(id is null ? string.Empty : "and id = $2")}");
        cmd.Parameters.Add(new NpgsqlParameter { Value = user });
        if (id is { } one)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = one });
        }

        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<TaskDto>> ReadTasksAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<TaskDto>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(ReadTask(reader));
        }

        return list;
    }

    private static TaskDto ReadTask(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetGuid(3), r.GetGuid(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8),
        Str(r, 9), Str(r, 10), r.GetString(11), r.GetFieldValue<DateTimeOffset>(12),
        r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14), Str(r, 15), Str(r, 16));

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
