using System.Globalization;
using System.Text;
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
public sealed class FlowStore(NpgsqlDataSource dataSource, FlowWriterDataSource writer)
{
    /// <summary>SQLSTATE raised when the instance moved on meanwhile.</summary>
    public const string ConflictState = "P0409";

    private const string Select = """
        select i.state, i.row_version, r.id, r.app_key, r.entity_key, r.data, r.version, r.definition_version, r.created_at, r.created_by, r.updated_at, r.updated_by, r.xmin
        from flow_instances i left join records r on r.id = i.record_id
        """;

    private const string ByTask = $"{Select} where i.id = (select instance_id from flow_tasks where id = $1)";

    public Task<FlowSnapshot?> LoadByTaskAsync(Guid taskId, CancellationToken ct) =>
        LoadAsync(ByTask, taskId, null, null, ct);

    /// <summary>
    /// The instances (with their records) of several tasks in one round trip: one prepared statement per task in one batch (one
    /// implicit read-only transaction), results in order, null for a task that does not exist (see <see cref="FlowReadQueue"/>).
    /// </summary>
    public async Task<FlowSnapshot?[]> LoadManyByTaskAsync(IReadOnlyList<Guid> taskIds, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var id in taskIds)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(ByTask) { Parameters = { new NpgsqlParameter { Value = id } } });
        }

        var snapshots = new FlowSnapshot?[taskIds.Count];
        await using var reader = await batch.ExecuteReaderAsync(ct);
        for (var i = 0; i < snapshots.Length; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(ct))
            {
                throw new InvalidOperationException("A batched flow load returned fewer results than it had statements.");
            }

            snapshots[i] = await reader.ReadAsync(ct) ? Snapshot(reader) : null;
        }

        return snapshots;
    }

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

    /// <summary>
    /// Writes one self-contained command (see <see cref="FlowWriteQueue"/>) as one batch in its own implicit transaction, on the
    /// writer's session (<see cref="FlowWriterDataSource"/>): the transaction's id (the <c>xmin</c> of the rows it wrote) once committed, or null when the
    /// instance's row version or the record's <c>xmin</c> moved on meanwhile (nothing written).
    /// </summary>
    public async Task<uint?> WriteAsync(BuiltFlowWrite write, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(write, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidSqlStatementName && attempt < StatementsPerWrite)
            {
                // Pipelined behind a batch that failed before its Parse of a statement this one only binds (the server skips a
                // failed batch up to its Sync): nothing of this write ran, and Npgsql has now forgotten that statement, so the
                // next try prepares it. Each try mends one such statement.
            }
        }
    }

    /// <summary>Most tries of a lone write whose statements the writer's session lost (one per statement it may bind).</summary>
    private const int StatementsPerWrite = 4;

    private async Task<uint?> WriteOnceAsync(BuiltFlowWrite write, CancellationToken ct)
    {
        var (batch, answersXid) = Batch(writer.CreateBatch(), [write]);
        await using var _ = batch;
        try
        {
            return await ExecuteAsync(batch, answersXid, ct);
        }
        catch (PostgresException e) when (e.SqlState == ConflictState)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes several self-contained commands as one batch in one implicit transaction (one round trip, one commit) on the
    /// writer's session: all of them or, when any statement fails (a stale row version too), none, and the exception is thrown.
    /// Returns the transaction's id for each once the commit is confirmed (the batch is read up to ReadyForQuery).
    /// </summary>
    public async Task<uint?[]> WriteManyAsync(IReadOnlyList<BuiltFlowWrite> writes, CancellationToken ct)
    {
        var (batch, answersXid) = Batch(writer.CreateBatch(), writes);
        await using var _ = batch;
        var xid = await ExecuteAsync(batch, answersXid, ct);
        var done = new uint?[writes.Count];
        Array.Fill(done, xid);
        return done;
    }

    /// <summary>
    /// <paramref name="batch"/> filled with queued writes: consecutive commands on distinct instances and records share one <see cref="FlowBatchRows"/>
    /// statement, each followed by its other statements in order. A command on an instance or record already in the statement
    /// starts the next one, so it is guarded by, and sees, what the commands before it wrote, as it would alone. Also whether the
    /// batch's first statement is such a shared one, which answers the transaction's id itself.
    /// </summary>
    private static (NpgsqlBatch Batch, bool AnswersXid) Batch(NpgsqlBatch batch, IReadOnlyList<BuiltFlowWrite> writes)
    {
        var run = new List<BuiltFlowWrite>(writes.Count);
        var instances = new HashSet<Guid>();
        var records = new HashSet<Guid>();
        void Flush()
        {
            if (run.Count > 0)
            {
                batch.BatchCommands.Add(FlowBatchRows.Merge(run.Select(w => w.Rows!)).Command());
                foreach (var w in run)
                {
                    AddAll(batch, w.TakeStatements());
                }
            }

            run.Clear();
            instances.Clear();
            records.Clear();
        }

        foreach (var write in writes)
        {
            if (write.Rows is not { } rows)
            {
                Flush();
                AddAll(batch, write.TakeStatements());
                continue;
            }

            if (rows.Instances.Any(instances.Contains) || rows.Records.Any(records.Contains))
            {
                Flush();
            }

            instances.UnionWith(rows.Instances);
            records.UnionWith(rows.Records);
            run.Add(write);
        }

        Flush();
        return (batch, writes.Count > 0 && writes[0].Rows is not null);
    }

    /// <summary>
    /// Runs a write batch in its implicit transaction (no statement of a flow write runs in a subtransaction); its
    /// <see cref="TransactionId"/>, answered by a leading <see cref="FlowBatchRows"/> statement or asked for first.
    /// </summary>
    private static async Task<uint> ExecuteAsync(NpgsqlBatch batch, bool answersXid, CancellationToken ct)
    {
        if (!answersXid)
        {
            TransactionId.AskFirst(batch);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var xid = answersXid ? (await reader.ReadAsync(ct) ? reader.GetFieldValue<uint>(1) : 0) : await TransactionId.ReadAsync(reader, ct);
        while (await reader.NextResultAsync(ct))
        {
        }

        return xid;
    }

    /// <summary>
    /// The record as a command leaves it: its data before with the handler's fields and the flow's record changes set, and
    /// whether that changes anything stored (the diff an audit row records). Null when the command has no existing record.
    /// </summary>
    public static (JsonObject After, JsonObject Changes, JsonObject Diff)? RecordAfter(FlowWrite write)
    {
        if (write.RecordBefore is not { } before)
        {
            return null;
        }

        var changes = new JsonObject();
        foreach (var (k, v) in write.RecordFields ?? [])
        {
            changes[k] = v?.DeepClone();
        }

        foreach (var (k, v) in write.Result.RecordChanges)
        {
            changes[k] = v?.DeepClone();
        }

        if (changes.Count == 0)
        {
            return (before, changes, changes);
        }

        var after = before.DeepClone().AsObject();
        foreach (var (k, v) in changes)
        {
            after[k] = v?.DeepClone();
        }

        return (after, changes, RecordDiff.Changes(before, after));
    }

    /// <summary>Adds the commands that write <paramref name="write"/> to the batch, guarded first by the instance's row version.</summary>
    public static void AddCommands(NpgsqlBatch batch, FlowWrite write) => AddCommands(batch.BatchCommands, write);

    /// <summary>The statements of <paramref name="write"/> (see <see cref="AddCommands(NpgsqlBatch, FlowWrite)"/>), built before a batch exists.</summary>
    public static List<NpgsqlBatchCommand> Commands(FlowWrite write)
    {
        var commands = new List<NpgsqlBatchCommand>(4);
        AddCommands(commands, write);
        return commands;
    }

    /// <summary>
    /// The statements of <paramref name="write"/> besides its instance and common effects (which <see cref="FlowBatchRows"/>
    /// writes for group-committed commands): CC grants, timers, e-mail and robot messages, the record's change with its audit row.
    /// </summary>
    public static List<NpgsqlBatchCommand> EffectCommands(FlowWrite write)
    {
        var commands = new List<NpgsqlBatchCommand>(2);
        AddEffectCommands(commands, write);
        return commands;
    }

    private static void AddCommands(IList<NpgsqlBatchCommand> batch, FlowWrite write)
    {
        batch.Add(InstanceAndEffects(write));
        AddEffectCommands(batch, write);
    }

    private static void AddEffectCommands(IList<NpgsqlBatchCommand> batch, FlowWrite write)
    {
        var result = write.Result;
        var instance = result.Instance;

        foreach (var grant in result.CcGrants)
        {
            var step = write.Definition.FindStep(grant.Step);
            Add(batch, """
                insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, status, created_at)
                select gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7 || coalesce(' · ' || (select r.data->>$10::text from records r where r.id = $4), ''), 'cc', u, 'cc', $8
                from unnest($9::text[]) u
                """, instance.Id, instance.App, instance.Entity, instance.RecordId, grant.Step, step?.Title ?? grant.Step, write.RecordTitle, write.Now, grant.Users.ToArray(), Nullable(write.TitleField));
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
            batch.Add(FiredTimerCommand(fired, write.Now, write.FiredBy ?? "runtime"));
        }

        var link = $"/apps/{instance.App}/{instance.Entity}/{instance.RecordId}";
        for (var i = 0; i < result.Notifications.Count; i++)
        {
            var n = result.Notifications[i];
            var users = Recipients(write, n);
            if (users.Length == 0)
            {
                continue;
            }

            // The in-app notification rows themselves are written by the instance statement.
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

        if (RecordAfter(write) is { Diff.Count: > 0 } record)
        {
            // Guarded like the instance: a record written since the command read it refuses the whole write, so what is
            // stored is exactly the data the command decided on with its changes.
            if (write.ExpectedRecordXmin is { } xmin)
            {
                Add(batch, """
                    with r as (update records set data = data || $1::jsonb, version = version + 1, updated_at = $2, updated_by = $3
                      where id = $4 and xmin = $6 returning id, version, app_key, entity_key, updated_at, updated_by),
                    a as (insert into record_audit (record_id, version, app_key, entity_key, action, at, by, changes)
                      select r.id, r.version, r.app_key, r.entity_key, 'update', r.updated_at, r.updated_by, $5::jsonb from r)
                    select platform_expect_rows((select count(*) from r), 1, 'the record was changed meanwhile')
                    """, Jsonb(record.Changes.ToJsonString()), write.Now, write.By, instance.RecordId, Jsonb(record.Diff.ToJsonString()), Xid(xmin));
            }
            else
            {
                Add(batch, """
                    with r as (update records set data = data || $1::jsonb, version = version + 1, updated_at = $2, updated_by = $3
                      where id = $4 returning id, version, app_key, entity_key, updated_at, updated_by)
                    insert into record_audit (record_id, version, app_key, entity_key, action, at, by, changes)
                    select r.id, r.version, r.app_key, r.entity_key, 'update', r.updated_at, r.updated_by, $5::jsonb from r
                    """, Jsonb(record.Changes.ToJsonString()), write.Now, write.By, instance.RecordId, Jsonb(record.Diff.ToJsonString()));
            }
        }
    }

    /// <summary>
    /// One statement for the instance and the effects every command has: the instance row (updated under its row-version guard,
    /// or inserted), tasks opened, changed and closed, history entries and in-app notifications. The main query reads the
    /// instance update first, so a stale row version raises before any other part runs (the data-modifying parts of a
    /// statement that the main query does not read run after it); parts a command does not have are left out, so a command
    /// pays only for the tables it writes. One statement instead of one per row: per-statement work (bind, executor start,
    /// snapshot) was a large share of an approval's PostgreSQL time. Rows go as VALUES lists of scalar parameters, not arrays:
    /// with arrays PostgreSQL cannot size the generic plan and plans the statement afresh on every execution.
    /// </summary>
    private static NpgsqlBatchCommand InstanceAndEffects(FlowWrite write)
    {
        var result = write.Result;
        var instance = result.Instance;
        var cmd = new NpgsqlBatchCommand();
        var p = cmd.Parameters;
        string Param(NpgsqlParameter parameter)
        {
            p.Add(parameter);
            return "$" + p.Count.ToString(CultureInfo.InvariantCulture);
        }

        string Value(object value) => Param(new NpgsqlParameter { Value = value is DateTimeOffset at ? at.ToUniversalTime() : value });
        string Text(string? value) => Param(Nullable(value));

        // (values (…), (…)) with one typed parameter per cell.
        string Rows<T>(IEnumerable<T> items, Func<T, NpgsqlParameter[]> cells) =>
            "(values " + string.Join(", ", items.Select(item => "(" + string.Join(", ", cells(item).Select(Param)) + ")")) + ")";

        var sql = new StringBuilder("with u as (");
        var state = Jsonb(JsonSerializer.SerializeToUtf8Bytes(instance, FlowStateJson.Default.FlowInstance));
        var id = Value(instance.Id);
        string? recordId = null;
        string RecordId() => recordId ??= Value(instance.RecordId);
        if (write.ExpectedRowVersion is { } expected)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                update flow_instances set state = {Param(state)}::jsonb, status = {Value(instance.Status)}, ended_at = {Param(Time(instance.EndedAt))},
                  version = {Value(instance.Version)}, row_version = row_version + 1 where id = {id} and row_version = {Value(expected)}
                """);
            if (write.ExpectedRecordXmin is { } xmin)
            {
                sql.Append(CultureInfo.InvariantCulture, $" and exists (select 1 from records r where r.id = {RecordId()} and r.xmin = {Param(Xid(xmin))})");
            }

            sql.Append(" returning 1)");
        }
        else
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                insert into flow_instances (id, app_key, flow_key, version, entity_key, record_id, status, state, started_by, started_at, ended_at)
                  values ({id}, {Value(instance.App)}, {Value(instance.Flow)}, {Value(instance.Version)}, {Value(instance.Entity)}, {Value(instance.RecordId)},
                  {Value(instance.Status)}, {Param(state)}::jsonb, {Value(instance.StartedBy)}, {Param(Time(instance.StartedAt))}, {Param(Time(instance.EndedAt))}) returning 1)
                """);
        }

        string? titleField = null;

        // A new record's auto-number is read in SQL (its row is written earlier in the same batch); an existing one's is known here.
        string TitleSuffixSql() => write.TitleField is null
            ? Text(write.TitleSuffix ?? string.Empty)
            : $"coalesce(' · ' || (select r.data->>{titleField ??= Text(write.TitleField)} from records r where r.id = {RecordId()}), '')";

        // A task opened and closed by the same command is written closed; the parts of one statement do not see each other's rows.
        var closedHere = result.ClosedTasks.ToDictionary(c => c.Task.Id);
        if (result.OpenedTasks.Count > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                , opened as (insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, role, status, created_at, due_at,
                  closed_at, closed_by, action, comment)
                  select o.id, {id}, {Value(instance.App)}, {Value(instance.Entity)}, {RecordId()}, o.step, o.step_name, {Text(write.RecordTitle)}{(write.TitleField is null ? string.Empty : " || " + TitleSuffixSql())},
                    o.kind, o.assignee, o.role, o.status, o.created_at, o.due_at, o.closed_at, o.closed_by, o.action, o.comment
                  from {Rows(result.OpenedTasks, t =>
                  {
                      var c = closedHere.GetValueOrDefault(t.Id);
                      return [Id(t.Id), Nullable(t.Step), Nullable(write.Definition.FindStep(t.Step)?.Title ?? t.Step), Nullable(t.Kind), Nullable(t.Assignee), Nullable(t.Role),
                          Nullable(c?.Status ?? t.Status), Time(t.CreatedAt), Time(t.DueAt), Time(c?.At), Nullable(c?.By), Nullable(c?.Action), Nullable(c?.Comment)];
                  })} o(id, step, step_name, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment))
                """);
        }

        if (result.ChangedTasks.Count > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                , changed as (update flow_tasks t set assignee = c.assignee, role = c.role, status = c.status, due_at = c.due_at
                  from {Rows(result.ChangedTasks, t => [Id(t.Id), Nullable(t.Assignee), Nullable(t.Role), Nullable(t.Status), Time(t.DueAt)])} c(id, assignee, role, status, due_at)
                  where t.id = c.id)
                """);
        }

        var openedIds = result.OpenedTasks.Select(t => t.Id).ToHashSet();
        var closed = result.ClosedTasks.Where(c => !openedIds.Contains(c.Task.Id)).ToList();
        if (closed.Count > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                , closed as (update flow_tasks t set status = c.status, closed_at = c.closed_at, closed_by = c.closed_by, action = c.action, comment = c.comment
                  from {Rows(closed, c => [Id(c.Task.Id), Nullable(c.Status), Time(c.At), Nullable(c.By), Nullable(c.Action), Nullable(c.Comment)])} c(id, status, closed_at, closed_by, action, comment)
                  where t.id = c.id)
                """);
        }

        if (result.History.Count > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                , history as (insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, task_id, to_value, fields, public)
                  select {id}, h.* from {Rows(result.History, e => [
                      new NpgsqlParameter { Value = e.Seq, NpgsqlDbType = NpgsqlDbType.Integer }, Nullable(e.Step), Nullable(e.StepName), Nullable(e.Action), Nullable(e.By), Time(e.At),
                      Nullable(e.Comment), Id(e.TaskId), Nullable(e.To), Jsonb(e.Fields?.ToJsonString()), new NpgsqlParameter { Value = e.Public, NpgsqlDbType = NpgsqlDbType.Boolean }])} h)
                """);
        }

        var rows = result.Notifications.SelectMany(n => Recipients(write, n).Select(user => (User: user, Notification: n))).ToList();
        if (rows.Count > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                , notified as (insert into notifications (user_name, kind, title, body, link, instance_id, task_id, created_at)
                  select n.user_name, n.kind, n.title || {TitleSuffixSql()}, n.body, {Text($"/apps/{instance.App}/{instance.Entity}/{instance.RecordId}")}, {id}, n.task_id, {Param(Time(write.Now))}
                  from {Rows(rows, r => [Nullable(r.User), Nullable(r.Notification.Kind), Nullable(r.Notification.Title), Nullable(r.Notification.Body), Id(r.Notification.TaskId)])}
                    n(user_name, kind, title, body, task_id))
                """);
        }

        sql.Append("\nselect platform_expect_rows((select count(*) from u), 1, 'the flow instance was changed meanwhile')");
        cmd.CommandText = sql.ToString();
        return cmd;
    }

    /// <summary>The users a notification goes to: its users and the holders of its roles, once each.</summary>
    internal static string[] Recipients(FlowWrite write, FlowNotification n) =>
        n.Users.Concat(n.Roles.SelectMany(write.Directory.UsersInRole)).Distinct(StringComparer.Ordinal).ToArray();

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
        return await reader.ReadAsync(ct) ? Snapshot(reader) : null;
    }

    private static FlowSnapshot Snapshot(NpgsqlDataReader reader)
    {
        // jsonb read as its UTF-8 text: no UTF-16 string in between.
        var instance = JsonSerializer.Deserialize<FlowInstance>(reader.GetFieldValue<byte[]>(0), MetadataJson.Options)!;
        StoredRecord? record = reader.IsDBNull(2) ? null : new StoredRecord(
            reader.GetGuid(2), reader.GetString(3), reader.GetString(4), (JsonObject)JsonNode.Parse(reader.GetFieldValue<byte[]>(5))!,
            reader.GetInt32(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetString(9),
            reader.GetFieldValue<DateTimeOffset>(10), reader.GetString(11)) { Xmin = reader.GetFieldValue<uint>(12) };
        return new FlowSnapshot(instance, reader.GetInt32(1), record);
    }

    // Nulls go typed, so a statement keeps one parameter signature and stays prepared whatever is null.
    private static NpgsqlParameter Nullable(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) => new() { Value = value is { } at ? at.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Xid(uint value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Xid };

    private static NpgsqlParameter Id(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Jsonb(string? json) => new() { Value = (object?)json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlParameter Jsonb(byte[] utf8Json) => new() { Value = utf8Json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static void AddAll(NpgsqlBatch batch, List<NpgsqlBatchCommand> commands)
    {
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }
    }

    private static void Add(IList<NpgsqlBatchCommand> batch, string sql, params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value is DateTimeOffset at ? at.ToUniversalTime() : value });
        }

        batch.Add(cmd);
    }
}
