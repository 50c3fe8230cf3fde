using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Flow instances on PostgreSQL: loads an instance with its record in one query, and turns an interpreter
/// result into the batch commands of the command's single round trip (instance guarded by its row version,
/// tasks, history, timers, notifications, outbox, record changes with audit).
/// </summary>
public sealed class FlowStore(NpgsqlDataSource dataSource)
{
    /// <summary>SQLSTATE raised when the instance moved on meanwhile.</summary>
    public const string ConflictState = "P0409";

    private const string Select = """
        select i.state::text, i.row_version, r.id, r.app_key, r.entity_key, r.data::text, r.version, r.definition_version, r.created_at, r.created_by, r.updated_at, r.updated_by
        from flow_instances i left join records r on r.id = i.record_id
        """;

    public Task<FlowSnapshot?> LoadByTaskAsync(Guid taskId, CancellationToken ct) =>
        LoadAsync($"{Select} where i.id = (select instance_id from flow_tasks where id = $1)", taskId, null, null, ct);

    public Task<FlowSnapshot?> LoadAsync(Guid instanceId, CancellationToken ct, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null) =>
        LoadAsync($"{Select} where i.id = $1", instanceId, connection, transaction, ct);

    /// <summary>The flows a record is in, newest first: (instance id, status, active steps).</summary>
    public async Task<IReadOnlyDictionary<Guid, (Guid Instance, string Status, IReadOnlyList<string> Active)>> FlowsOfRecordsAsync(IReadOnlyList<Guid> recordIds, CancellationToken ct)
    {
        var map = new Dictionary<Guid, (Guid, string, IReadOnlyList<string>)>();
        if (recordIds.Count == 0)
        {
            return map;
        }

        await using var cmd = dataSource.CreateCommand("""
            select distinct on (record_id) record_id, id, status, coalesce((select array_agg(a->>'step') from jsonb_array_elements(state->'active') a), '{}')
            from flow_instances where record_id = any($1) order by record_id, started_at desc
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = recordIds.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            map[reader.GetGuid(0)] = (reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<string[]>(3));
        }

        return map;
    }

    /// <summary>Adds the commands that write <paramref name="write"/> to the batch, guarded first by the instance's row version.</summary>
    public static void AddCommands(NpgsqlBatch batch, FlowWrite write)
    {
        var result = write.Result;
        var instance = result.Instance;
        var state = JsonSerializer.Serialize(instance, MetadataJson.Options);
        if (write.ExpectedRowVersion is { } expected)
        {
            Add(batch, """
                with u as (update flow_instances set state = $1::jsonb, status = $2, ended_at = $3, version = $4, row_version = row_version + 1
                  where id = $5 and row_version = $6 returning 1)
                select platform_expect_rows((select count(*) from u), 1, 'the flow instance was changed meanwhile')
                """, Jsonb(state), instance.Status, Time(instance.EndedAt), instance.Version, instance.Id, expected);
        }
        else
        {
            Add(batch, """
                insert into flow_instances (id, app_key, flow_key, version, entity_key, record_id, status, state, started_by, started_at, ended_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)
                """, instance.Id, instance.App, instance.Flow, instance.Version, instance.Entity, instance.RecordId, instance.Status, Jsonb(state),
                instance.StartedBy, instance.StartedAt, Time(instance.EndedAt));
        }

        foreach (var task in result.OpenedTasks)
        {
            var step = write.Definition.FindStep(task.Step);
            Add(batch, $"""
                insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, role, status, created_at, due_at)
                values ($1, $2, $3, $4, $5, $6, $7, {(write.TitleField is null ? "$8" : "$8 || coalesce(' · ' || (select r.data->>$15 from records r where r.id = $5), '')")}, $9, $10, $11, $12, $13, $14)
                """, task.Id, instance.Id, instance.App, instance.Entity, instance.RecordId, task.Step, step?.Title ?? task.Step, write.RecordTitle, task.Kind,
                Nullable(task.Assignee), Nullable(task.Role), task.Status, task.CreatedAt, Time(task.DueAt), write.TitleField ?? string.Empty);
        }

        foreach (var task in result.ChangedTasks)
        {
            Add(batch, "update flow_tasks set assignee = $2, role = $3, status = $4, due_at = $5 where id = $1",
                task.Id, Nullable(task.Assignee), Nullable(task.Role), task.Status, Time(task.DueAt));
        }

        foreach (var closed in result.ClosedTasks)
        {
            Add(batch, "update flow_tasks set status = $2, closed_at = $3, closed_by = $4, action = $5, comment = $6 where id = $1",
                closed.Task.Id, closed.Status, closed.At, closed.By, closed.Action, Nullable(closed.Comment));
        }

        foreach (var grant in result.CcGrants)
        {
            var step = write.Definition.FindStep(grant.Step);
            Add(batch, """
                insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, status, created_at)
                select gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7 || coalesce(' · ' || (select r.data->>$10::text from records r where r.id = $4), ''), 'cc', u, 'cc', $8
                from unnest($9::text[]) u
                """, instance.Id, instance.App, instance.Entity, instance.RecordId, grant.Step, step?.Title ?? grant.Step, write.RecordTitle, write.Now, grant.Users.ToArray(), Nullable(write.TitleField));
        }

        foreach (var h in result.History)
        {
            Add(batch, """
                insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, task_id, to_value, fields, public)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12)
                """, instance.Id, h.Seq, h.Step, Nullable(h.StepName), h.Action, h.By, h.At, Nullable(h.Comment), Id(h.TaskId),
                Nullable(h.To), Jsonb(h.Fields?.ToJsonString()), h.Public);
        }

        if (result.TimersCancelled.Count > 0)
        {
            Add(batch, "delete from timers where id = any($1)", result.TimersCancelled.ToArray());
        }

        foreach (var timer in result.TimersSet)
        {
            Add(batch, "insert into timers (id, instance_id, step, kind, due_at) values ($1, $2, $3, $4, $5)",
                timer.Id, timer.InstanceId, timer.Step, timer.Kind, timer.DueAt);
        }

        if (write.FiredTimer is { } fired)
        {
            batch.BatchCommands.Add(FiredTimerCommand(fired, write.Now, write.FiredBy ?? "runtime"));
        }

        var link = $"/apps/{instance.App}/{instance.Entity}/{instance.RecordId}";
        for (var i = 0; i < result.Notifications.Count; i++)
        {
            var n = result.Notifications[i];
            var users = n.Users.Concat(n.Roles.SelectMany(write.Directory.UsersInRole)).Distinct(StringComparer.Ordinal).ToArray();
            if (users.Length == 0)
            {
                continue;
            }

            Add(batch, $"""
                insert into notifications (user_name, kind, title, body, link, instance_id, task_id, created_at)
                select u, $2, {(write.TitleField is null ? "$3 || $9::text" : "$3 || coalesce(' · ' || (select r.data->>$9::text from records r where r.id = $10), '')")}, $4::text, $5, $6, $7::uuid, $8
                from unnest($1::text[]) u
                """, users, n.Kind, n.Title, Nullable(n.Body), link, instance.Id, Id(n.TaskId), write.Now, write.TitleField ?? write.TitleSuffix ?? string.Empty, instance.RecordId);
            if (write.Email)
            {
                Add(batch, """
                    insert into outbox (id, kind, idempotency_key, payload, next_attempt_at, created_at)
                    select gen_random_uuid(), 'email', $2 || u.user_name, jsonb_build_object('to', u.email, 'subject', $3::text, 'body', coalesce($4::text, '') || E'\n' || $5::text), $6, $6
                    from users u where u.user_name = any($1) and u.email is not null and u.email <> ''
                    on conflict (idempotency_key) do nothing
                    """, users, $"{instance.Id}:{instance.HistoryCount}:{i}:", n.Title, Nullable(n.Body), link, write.Now);
            }

            // The flow's group robot hears it too: one message per notification (naming who it is for), sent once through the outbox.
            if (write.Definition.Robot is { } robot && robot.Hears(n.Kind))
            {
                var names = string.Join("、", users);
                var text = $"\n{(n.Body is null ? string.Empty : n.Body + "\n")}处理人 / for: {names}\n{link}";
                var payload = new JsonObject
                {
                    ["provider"] = robot.Provider, ["connector"] = robot.Connector, ["url"] = robot.Url, ["title"] = n.Title, ["text"] = text, ["app"] = instance.App,
                };
                foreach (var key in payload.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    payload.Remove(key);
                }

                // Only when configured: a flow naming a connector the app does not have (yet) sends nothing rather than failing messages.
                Add(batch, """
                    insert into outbox (id, kind, idempotency_key, payload, status, next_attempt_at, created_at)
                    select gen_random_uuid(), 'robot', $1,
                      jsonb_set($2, '{text}', to_jsonb(($2 ->> 'title') || coalesce(' · ' || (select r.data ->> $6::text from records r where r.id = $7), $8::text, '') || ($2 ->> 'text'))),
                      'pending', $3, $3
                    where $4::text is null or exists (select 1 from connectors c where c.app_key = $5 and c.key = $4::text)
                    on conflict (idempotency_key) do nothing
                    """, $"{instance.Id}:{instance.HistoryCount}:{i}:robot", Jsonb(payload.ToJsonString()), write.Now, Nullable(robot.Connector), instance.App,
                    Nullable(write.TitleField), instance.RecordId, Nullable(write.TitleField is null ? write.TitleSuffix : null));
            }
        }

        var changes = new JsonObject();
        foreach (var (k, v) in write.RecordFields ?? [])
        {
            changes[k] = v?.DeepClone();
        }

        foreach (var (k, v) in result.RecordChanges)
        {
            changes[k] = v?.DeepClone();
        }

        if (write.RecordBefore is { } before && changes.Count > 0)
        {
            var after = before.DeepClone().AsObject();
            foreach (var (k, v) in changes)
            {
                after[k] = v?.DeepClone();
            }

            var diff = RecordDiff.Changes(before, after);
            if (diff.Count > 0)
            {
                Add(batch, """
                    with r as (update records set data = data || $1::jsonb, version = version + 1, updated_at = $2, updated_by = $3
                      where id = $4 returning id, version, app_key, entity_key, updated_at, updated_by)
                    insert into record_audit (record_id, version, app_key, entity_key, action, at, by, changes)
                    select r.id, r.version, r.app_key, r.entity_key, 'update', r.updated_at, r.updated_by, $5::jsonb from r
                    """, Jsonb(changes.ToJsonString()), write.Now, write.By, instance.RecordId, Jsonb(diff.ToJsonString()));
            }
        }
    }

    /// <summary>Deletes a fired timer and logs its firing (once: a timer already deleted logs nothing).</summary>
    public static NpgsqlBatchCommand FiredTimerCommand(FlowTimer timer, DateTimeOffset now, string node) => new("""
        with d as (delete from timers where id = $1 returning id)
        insert into timer_firings (timer_id, instance_id, due_at, fired_at, fired_by) select id, $2, $3, $4, $5 from d
        """)
    {
        Parameters =
        {
            new NpgsqlParameter { Value = timer.Id },
            new NpgsqlParameter { Value = timer.InstanceId == Guid.Empty ? DBNull.Value : timer.InstanceId, NpgsqlDbType = NpgsqlDbType.Uuid },
            new NpgsqlParameter { Value = timer.DueAt.ToUniversalTime() }, new NpgsqlParameter { Value = now.ToUniversalTime() }, new NpgsqlParameter { Value = node },
        },
    };

    /// <summary>The running flow instances of a record, oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> RunningInstancesAsync(Guid recordId, CancellationToken ct, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        const string sql = "select id from flow_instances where record_id = $1 and status = 'running' order by started_at";
        await using var cmd = connection is null ? dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = recordId });
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async Task<FlowSnapshot?> LoadAsync(string sql, Guid id, NpgsqlConnection? connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var cmd = connection is null ? dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var instance = JsonSerializer.Deserialize<FlowInstance>(reader.GetString(0), MetadataJson.Options)!;
        StoredRecord? record = reader.IsDBNull(2) ? null : new StoredRecord(
            reader.GetGuid(2), reader.GetString(3), reader.GetString(4), (JsonObject)JsonNode.Parse(reader.GetString(5))!,
            reader.GetInt32(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetString(9),
            reader.GetFieldValue<DateTimeOffset>(10), reader.GetString(11));
        return new FlowSnapshot(instance, reader.GetInt32(1), record);
    }

    // Nulls go typed, so a statement keeps one parameter signature and stays prepared whatever is null.
    private static NpgsqlParameter Nullable(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) => new() { Value = value is { } at ? at.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Id(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Jsonb(string? json) => new() { Value = (object?)json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static void Add(NpgsqlBatch batch, string sql, params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value is DateTimeOffset at ? at.ToUniversalTime() : value });
        }

        batch.BatchCommands.Add(cmd);
    }
}
