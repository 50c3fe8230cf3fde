using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Flows.Runtime;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The rows group-committed flow commands write to the instance and its common effects (the instance under its row-version
/// guard, tasks opened, changed and closed, history entries, in-app notifications), kept column by column, so any number of
/// commands go as one statement with one array parameter per column (<see cref="Command"/>), whose text depends only on which
/// kinds of rows the batch has (<see cref="SqlFor"/>): one parse, bind, executor start and snapshot for the whole batch instead of
/// one statement per command, and a few generic plans. The statement is sent only on <see cref="FlowStore"/>'s writer
/// connections, which plan generically: with array parameters PostgreSQL's default would plan the statement afresh on every
/// execution. Rows of one command are built on its caller's
/// thread (<see cref="Of"/>); a batch concatenates them (<see cref="Merge"/>).
/// </summary>
public sealed class FlowBatchRows
{
    /// <summary>
    /// The statement's parts, each numbering its own parameters from <c>$1</c>: the instance update (always there), then tasks
    /// opened, changed and closed, history entries and notifications, each left out of a batch that has no rows for it (see
    /// <see cref="SqlFor"/>). The instance update is the main query's: a stale row version (or record <c>xmin</c>) raises
    /// <c>P0409</c> before the other parts run, and the statement answers the transaction's id too (see <see cref="TransactionId"/>).
    /// </summary>
    private static readonly string[] PartSql =
    [
        """
        u as (update flow_instances f set state = v.state, status = v.status, ended_at = v.ended_at, version = v.version, row_version = f.row_version + 1
          from unnest($1::uuid[], $2::jsonb[], $3::text[], $4::timestamptz[], $5::int[], $6::int[], $7::uuid[], $8::xid[])
            v(id, state, status, ended_at, version, expected, record_id, record_xmin)
          where f.id = v.id and f.row_version = v.expected
            and (v.record_xmin is null or exists (select 1 from records r where r.id = v.record_id and r.xmin = v.record_xmin))
          returning 1)
        """,
        """
        opened as (insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, role, status, created_at, due_at,
            closed_at, closed_by, action, comment)
          select o.id, o.instance_id, o.app_key, o.entity_key, o.record_id, o.step, o.step_name,
            o.title || case when o.title_field is null then '' else coalesce(' · ' || (select r.data->>o.title_field from records r where r.id = o.record_id), '') end,
            o.kind, o.assignee, o.role, o.status, o.created_at, o.due_at, o.closed_at, o.closed_by, o.action, o.comment
          from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
            $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::text[], $18::text[], $19::text[])
            o(id, instance_id, app_key, entity_key, record_id, step, step_name, title, title_field, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment))
        """,
        """
        changed as (update flow_tasks t set assignee = c.assignee, role = c.role, status = c.status, due_at = c.due_at
          from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) c(id, assignee, role, status, due_at) where t.id = c.id)
        """,
        """
        closed as (update flow_tasks t set status = c.status, closed_at = c.closed_at, closed_by = c.closed_by, action = c.action, comment = c.comment
          from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[]) c(id, status, closed_at, closed_by, action, comment) where t.id = c.id)
        """,
        """
        history as (insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, task_id, to_value, fields, public)
          select * from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::uuid[], $10::text[],
            $11::jsonb[], $12::boolean[]))
        """,
        """
        notified as (insert into notifications (user_name, kind, title, body, link, instance_id, task_id, created_at)
          select n.user_name, n.kind,
            n.title || case when n.title_field is null then n.suffix else coalesce(' · ' || (select r.data->>n.title_field from records r where r.id = n.record_id), '') end,
            n.body, n.link, n.instance_id, n.task_id, n.created_at
          from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::uuid[], $10::uuid[], $11::timestamptz[])
            n(user_name, kind, title, suffix, title_field, record_id, body, link, instance_id, task_id, created_at))
        """,
    ];

    /// <summary>How many columns (array parameters) each part of <see cref="PartSql"/> has: its highest parameter number.</summary>
    private static readonly int[] PartColumns = [.. PartSql.Select(part => Regex.Matches(part, @"\$(\d+)").Max(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))];

    // The statement of each combination of parts with rows (bit i: part i), built once: a batch's text depends only on which
    // kinds of rows it has, never on how many, so a few prepared statements serve every batch.
    private static readonly string?[] Statements = new string?[1 << PartSql.Length];

    /// <summary>
    /// The statement writing the parts in <paramref name="parts"/> (bit i for part i; the instance update, bit 0, always): their
    /// parameters in order, then the expected instance count. A part without rows is left out rather than sent empty, so the server
    /// neither starts its executor node (opening its table and indexes) nor receives its arrays.
    /// </summary>
    public static string SqlFor(int parts)
    {
        parts = (parts | 1) & (Statements.Length - 1);
        if (Statements[parts] is { } known)
        {
            return known;
        }

        var sql = new StringBuilder("with ");
        var offset = 0;
        for (var i = 0; i < PartSql.Length; i++)
        {
            if ((parts & (1 << i)) == 0)
            {
                continue;
            }

            var shift = offset;
            sql.Append(offset == 0 ? string.Empty : ",\n").Append(Regex.Replace(
                PartSql[i], @"\$(\d+)", m => "$" + (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture)));
            offset += PartColumns[i];
        }

        sql.Append(CultureInfo.InvariantCulture,
            $"\nselect platform_expect_rows((select count(*) from u), ${offset + 1}, 'the flow instance was changed meanwhile'), xid(pg_current_xact_id())");
        return Statements[parts] = sql.ToString();
    }

    private readonly Column<Guid> instanceId = new(NpgsqlDbType.Uuid);
    private readonly Column<byte[]> state = new(NpgsqlDbType.Jsonb);
    private readonly Column<string> status = new(NpgsqlDbType.Text);
    private readonly Column<DateTimeOffset?> endedAt = new(NpgsqlDbType.TimestampTz);
    private readonly Column<int> version = new(NpgsqlDbType.Integer);
    private readonly Column<int> expected = new(NpgsqlDbType.Integer);
    private readonly Column<Guid> recordId = new(NpgsqlDbType.Uuid);
    private readonly Column<uint?> recordXmin = new(NpgsqlDbType.Xid);

    private readonly Column<Guid> openedId = new(NpgsqlDbType.Uuid);
    private readonly Column<Guid> openedInstance = new(NpgsqlDbType.Uuid);
    private readonly Column<string> openedApp = new(NpgsqlDbType.Text);
    private readonly Column<string> openedEntity = new(NpgsqlDbType.Text);
    private readonly Column<Guid> openedRecord = new(NpgsqlDbType.Uuid);
    private readonly Column<string> openedStep = new(NpgsqlDbType.Text);
    private readonly Column<string> openedStepName = new(NpgsqlDbType.Text);
    private readonly Column<string> openedTitle = new(NpgsqlDbType.Text);
    private readonly Column<string?> openedTitleField = new(NpgsqlDbType.Text);
    private readonly Column<string> openedKind = new(NpgsqlDbType.Text);
    private readonly Column<string?> openedAssignee = new(NpgsqlDbType.Text);
    private readonly Column<string?> openedRole = new(NpgsqlDbType.Text);
    private readonly Column<string> openedStatus = new(NpgsqlDbType.Text);
    private readonly Column<DateTimeOffset?> openedCreatedAt = new(NpgsqlDbType.TimestampTz);
    private readonly Column<DateTimeOffset?> openedDueAt = new(NpgsqlDbType.TimestampTz);
    private readonly Column<DateTimeOffset?> openedClosedAt = new(NpgsqlDbType.TimestampTz);
    private readonly Column<string?> openedClosedBy = new(NpgsqlDbType.Text);
    private readonly Column<string?> openedAction = new(NpgsqlDbType.Text);
    private readonly Column<string?> openedComment = new(NpgsqlDbType.Text);

    private readonly Column<Guid> changedId = new(NpgsqlDbType.Uuid);
    private readonly Column<string?> changedAssignee = new(NpgsqlDbType.Text);
    private readonly Column<string?> changedRole = new(NpgsqlDbType.Text);
    private readonly Column<string> changedStatus = new(NpgsqlDbType.Text);
    private readonly Column<DateTimeOffset?> changedDueAt = new(NpgsqlDbType.TimestampTz);

    private readonly Column<Guid> closedId = new(NpgsqlDbType.Uuid);
    private readonly Column<string> closedStatus = new(NpgsqlDbType.Text);
    private readonly Column<DateTimeOffset?> closedAt = new(NpgsqlDbType.TimestampTz);
    private readonly Column<string> closedBy = new(NpgsqlDbType.Text);
    private readonly Column<string> closedAction = new(NpgsqlDbType.Text);
    private readonly Column<string?> closedComment = new(NpgsqlDbType.Text);

    private readonly Column<Guid> historyInstance = new(NpgsqlDbType.Uuid);
    private readonly Column<int> historySeq = new(NpgsqlDbType.Integer);
    private readonly Column<string> historyStep = new(NpgsqlDbType.Text);
    private readonly Column<string?> historyStepName = new(NpgsqlDbType.Text);
    private readonly Column<string> historyAction = new(NpgsqlDbType.Text);
    private readonly Column<string> historyBy = new(NpgsqlDbType.Text);
    private readonly Column<DateTimeOffset?> historyAt = new(NpgsqlDbType.TimestampTz);
    private readonly Column<string?> historyComment = new(NpgsqlDbType.Text);
    private readonly Column<Guid?> historyTask = new(NpgsqlDbType.Uuid);
    private readonly Column<string?> historyTo = new(NpgsqlDbType.Text);
    private readonly Column<string?> historyFields = new(NpgsqlDbType.Jsonb);
    private readonly Column<bool> historyPublic = new(NpgsqlDbType.Boolean);

    private readonly Column<string> notifiedUser = new(NpgsqlDbType.Text);
    private readonly Column<string> notifiedKind = new(NpgsqlDbType.Text);
    private readonly Column<string> notifiedTitle = new(NpgsqlDbType.Text);
    private readonly Column<string> notifiedSuffix = new(NpgsqlDbType.Text);
    private readonly Column<string?> notifiedTitleField = new(NpgsqlDbType.Text);
    private readonly Column<Guid> notifiedRecord = new(NpgsqlDbType.Uuid);
    private readonly Column<string?> notifiedBody = new(NpgsqlDbType.Text);
    private readonly Column<string> notifiedLink = new(NpgsqlDbType.Text);
    private readonly Column<Guid> notifiedInstance = new(NpgsqlDbType.Uuid);
    private readonly Column<Guid?> notifiedTask = new(NpgsqlDbType.Uuid);
    private readonly Column<DateTimeOffset?> notifiedAt = new(NpgsqlDbType.TimestampTz);

    // The columns in the statement's parameter order, part by part (as PartSql).
    private readonly IColumn[][] parts;

    private FlowBatchRows()
    {
        parts =
        [
            [instanceId, state, status, endedAt, version, expected, recordId, recordXmin],
            [openedId, openedInstance, openedApp, openedEntity, openedRecord, openedStep, openedStepName, openedTitle, openedTitleField, openedKind,
                openedAssignee, openedRole, openedStatus, openedCreatedAt, openedDueAt, openedClosedAt, openedClosedBy, openedAction, openedComment],
            [changedId, changedAssignee, changedRole, changedStatus, changedDueAt],
            [closedId, closedStatus, closedAt, closedBy, closedAction, closedComment],
            [historyInstance, historySeq, historyStep, historyStepName, historyAction, historyBy, historyAt, historyComment, historyTask, historyTo, historyFields, historyPublic],
            [notifiedUser, notifiedKind, notifiedTitle, notifiedSuffix, notifiedTitleField, notifiedRecord, notifiedBody, notifiedLink, notifiedInstance, notifiedTask, notifiedAt],
        ];
    }

    /// <summary>How many instances (commands) the rows hold.</summary>
    public int Count => instanceId.Count;

    /// <summary>The instances the rows write.</summary>
    public IReadOnlyList<Guid> Instances => instanceId.Values;

    /// <summary>The records of those instances.</summary>
    public IReadOnlyList<Guid> Records => recordId.Values;

    /// <summary>The rows of one command on an existing instance; null for a new instance (written by its own statements).</summary>
    public static FlowBatchRows? Of(FlowWrite write)
    {
        if (write.ExpectedRowVersion is not { } rowVersion)
        {
            return null;
        }

        var result = write.Result;
        var instance = result.Instance;
        var rows = new FlowBatchRows();
        rows.instanceId.Add(instance.Id);
        rows.state.Add(JsonSerializer.SerializeToUtf8Bytes(instance, FlowStateJson.Default.FlowInstance));
        rows.status.Add(instance.Status);
        rows.endedAt.Add(instance.EndedAt);
        rows.version.Add(instance.Version);
        rows.expected.Add(rowVersion);
        rows.recordId.Add(instance.RecordId);
        rows.recordXmin.Add(write.ExpectedRecordXmin);

        // A task opened and closed by the same command is written closed.
        var closedHere = result.ClosedTasks.ToDictionary(c => c.Task.Id);
        foreach (var t in result.OpenedTasks)
        {
            var c = closedHere.GetValueOrDefault(t.Id);
            rows.openedId.Add(t.Id);
            rows.openedInstance.Add(instance.Id);
            rows.openedApp.Add(instance.App);
            rows.openedEntity.Add(instance.Entity);
            rows.openedRecord.Add(instance.RecordId);
            rows.openedStep.Add(t.Step);
            rows.openedStepName.Add(write.Definition.FindStep(t.Step)?.Title ?? t.Step);
            rows.openedTitle.Add(write.RecordTitle);
            rows.openedTitleField.Add(write.TitleField);
            rows.openedKind.Add(t.Kind);
            rows.openedAssignee.Add(t.Assignee);
            rows.openedRole.Add(t.Role);
            rows.openedStatus.Add(c?.Status ?? t.Status);
            rows.openedCreatedAt.Add(t.CreatedAt);
            rows.openedDueAt.Add(t.DueAt);
            rows.openedClosedAt.Add(c?.At);
            rows.openedClosedBy.Add(c?.By);
            rows.openedAction.Add(c?.Action);
            rows.openedComment.Add(c?.Comment);
        }

        foreach (var t in result.ChangedTasks)
        {
            rows.changedId.Add(t.Id);
            rows.changedAssignee.Add(t.Assignee);
            rows.changedRole.Add(t.Role);
            rows.changedStatus.Add(t.Status);
            rows.changedDueAt.Add(t.DueAt);
        }

        var openedIds = result.OpenedTasks.Select(t => t.Id).ToHashSet();
        foreach (var c in result.ClosedTasks.Where(c => !openedIds.Contains(c.Task.Id)))
        {
            rows.closedId.Add(c.Task.Id);
            rows.closedStatus.Add(c.Status);
            rows.closedAt.Add(c.At);
            rows.closedBy.Add(c.By);
            rows.closedAction.Add(c.Action);
            rows.closedComment.Add(c.Comment);
        }

        foreach (var e in result.History)
        {
            rows.historyInstance.Add(instance.Id);
            rows.historySeq.Add(e.Seq);
            rows.historyStep.Add(e.Step);
            rows.historyStepName.Add(e.StepName);
            rows.historyAction.Add(e.Action);
            rows.historyBy.Add(e.By);
            rows.historyAt.Add(e.At);
            rows.historyComment.Add(e.Comment);
            rows.historyTask.Add(e.TaskId);
            rows.historyTo.Add(e.To);
            rows.historyFields.Add(e.Fields?.ToJsonString());
            rows.historyPublic.Add(e.Public);
        }

        var link = $"/apps/{instance.App}/{instance.Entity}/{instance.RecordId}";
        foreach (var n in result.Notifications)
        {
            foreach (var user in FlowStore.Recipients(write, n))
            {
                rows.notifiedUser.Add(user);
                rows.notifiedKind.Add(n.Kind);
                rows.notifiedTitle.Add(n.Title);
                rows.notifiedSuffix.Add(write.TitleSuffix ?? string.Empty);
                rows.notifiedTitleField.Add(write.TitleField);
                rows.notifiedRecord.Add(instance.RecordId);
                rows.notifiedBody.Add(n.Body);
                rows.notifiedLink.Add(link);
                rows.notifiedInstance.Add(instance.Id);
                rows.notifiedTask.Add(n.TaskId);
                rows.notifiedAt.Add(write.Now);
            }
        }

        return rows;
    }

    /// <summary>The rows of several commands, in order, as one.</summary>
    public static FlowBatchRows Merge(IEnumerable<FlowBatchRows> writes)
    {
        var merged = new FlowBatchRows();
        foreach (var write in writes)
        {
            for (var i = 0; i < merged.parts.Length; i++)
            {
                for (var j = 0; j < merged.parts[i].Length; j++)
                {
                    merged.parts[i][j].AddFrom(write.parts[i][j]);
                }
            }
        }

        return merged;
    }

    /// <summary>The statement writing these rows (see <see cref="SqlFor"/>); its one row answers the transaction's id in column 1.</summary>
    public NpgsqlBatchCommand Command()
    {
        var present = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            present |= i == 0 || parts[i][0].Count > 0 ? 1 << i : 0;
        }

        var cmd = new NpgsqlBatchCommand(SqlFor(present));
        for (var i = 0; i < parts.Length; i++)
        {
            if ((present & (1 << i)) == 0)
            {
                continue;
            }

            if (parts[i].Length != PartColumns[i])
            {
                // A column list out of step with its part's SQL would bind values to the wrong columns: refuse to send it.
                throw new InvalidOperationException($"Part {i} of the flow batch statement takes {PartColumns[i]} parameters, not {parts[i].Length}.");
            }

            foreach (var column in parts[i])
            {
                cmd.Parameters.Add(column.Parameter());
            }
        }

        cmd.Parameters.Add(new NpgsqlParameter { Value = (long)Count, NpgsqlDbType = NpgsqlDbType.Bigint });
        return cmd;
    }

    private interface IColumn
    {
        int Count { get; }

        void AddFrom(IColumn other);

        NpgsqlParameter Parameter();
    }

    /// <summary>One column's values; sent as one typed array (timestamps in UTC, as PostgreSQL's timestamptz takes them).</summary>
    private sealed class Column<T>(NpgsqlDbType type) : IColumn
    {
        public List<T> Values { get; } = new(2);

        public int Count => Values.Count;

        public void Add(T value) => Values.Add(value);

        public void AddFrom(IColumn other) => Values.AddRange(((Column<T>)other).Values);

        public NpgsqlParameter Parameter()
        {
            object array = Values is List<DateTimeOffset?> times ? times.Select(t => t?.ToUniversalTime()).ToArray() : Values.ToArray();
            return new NpgsqlParameter { Value = array, NpgsqlDbType = NpgsqlDbType.Array | type };
        }
    }
}
