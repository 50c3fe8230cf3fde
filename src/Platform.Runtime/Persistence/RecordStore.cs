using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The hot path for records: plain Npgsql, one statement (one round trip) per write. A create assigns its
/// gapless auto-numbers, inserts the record and writes its audit row in a single statement of CTEs.
/// </summary>
public sealed class RecordStore(NpgsqlDataSource dataSource)
{
    public const string Columns = "id, app_key, entity_key, data::text, version, definition_version, created_at, created_by, updated_at, updated_by";

    public async Task<StoredRecord?> GetAsync(string app, string entity, Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            $"select {Columns} from records where id = $1 and app_key = $2 and entity_key = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entity });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Reads a record of the app and locks its row until the caller's transaction ends (rule chains adjusting it queue here).</summary>
    public async Task<StoredRecord?> GetForUpdateAsync(string app, Guid id, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select {Columns} from records where id = $1 and app_key = $2 for update", connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>
    /// Runs a list query compiled by <see cref="RecordQueryCompiler"/>. A filtered list walks its matches once: one statement
    /// counts them and picks the page's ids (see <see cref="FilteredPageSql"/>). An unfiltered one reads the page and the
    /// total as two statements of one batch (one round trip): there the page can stop early along an index of the sort,
    /// which a count of every match in the same walk would forbid.
    /// </summary>
    public async Task<RecordPage> ListAsync(CompiledRecordQuery query, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var items = new List<StoredRecord>();
        if (query.BaseWhere is not null && query.Where != query.BaseWhere)
        {
            long? total = null;
            await using (var cmd = new NpgsqlCommand(FilteredPageSql(query), connection))
            {
                foreach (var p in query.Parameters)
                {
                    cmd.Parameters.Add(p.Clone());
                }

                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    items.Add(Read(reader));
                    total = reader.GetInt64(10);
                }
            }

            // A page past the end has no row to carry the total: counted apart (a request nobody's pager makes).
            return new RecordPage(items, total ?? (query.Offset == 0 ? 0 : await CountAsync(connection, query, ct)));
        }

        await using var batch = new NpgsqlBatch(connection);
        // The top-N sort carries only ids and sort keys; whole rows are read for the page's ids alone. A window count over the
        // matches would keep every matching row, data and all, until the sort is done.
        var page = new NpgsqlBatchCommand(PageSql(query));
        var count = new NpgsqlBatchCommand($"select count(*) from records where {query.Where}");
        foreach (var p in query.Parameters)
        {
            page.Parameters.Add(p.Clone());
            count.Parameters.Add(p.Clone());
        }

        batch.BatchCommands.Add(page);
        batch.BatchCommands.Add(count);
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                items.Add(Read(reader));
            }

            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            return new RecordPage(items, reader.GetInt64(0));
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, CompiledRecordQuery query, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select count(*) from records where {query.Where}", connection);
        foreach (var p in query.Parameters)
        {
            cmd.Parameters.Add(p.Clone());
        }

        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The page's rows: ids chosen by the query's order, limit and offset, then read whole and put in the same order.</summary>
    public static string PageSql(CompiledRecordQuery query) =>
        $"select {Columns} from records where id = any(array(select id from records where {query.Where} order by {query.OrderBy} limit {query.Limit} offset {query.Offset})) order by {query.OrderBy}";

    /// <summary>
    /// The page's rows of a filtered list, each with the number of matches (eleventh column): the matches are walked once, as
    /// ids and sort keys only (<c>offset 0</c> keeps that subquery from being flattened, else the window's buffer would hold
    /// every match's whole <c>data</c>), counted by a window over them, sorted top-N, and only the page's ids are read whole.
    /// </summary>
    public static string FilteredPageSql(CompiledRecordQuery query) =>
        $"select {string.Join(", ", Columns.Split(", ").Select(c => "r." + c))}, p.total from ("
        + $"select m.id, m.k, count(*) over () as total from (select id, {query.SortKey} as k from records where {query.Where} offset 0) m "
        + $"order by m.k {query.SortOrder}, m.id {query.IdOrder} limit {query.Limit} offset {query.Offset}) p "
        + $"join records r on r.id = p.id order by p.k {query.SortOrder}, p.id {query.IdOrder}";

    /// <summary>
    /// Inserts a validated record. Auto-number values are taken from <c>number_sequences</c> in the same
    /// statement, so a failed insert rolls its numbers back and numbering stays gapless.
    /// </summary>
    public Task<StoredRecord> InsertAsync(NewRecord record, CancellationToken ct) => InsertAsync(record, null, null, ct);

    /// <summary>Inserts inside the caller's transaction (imports, seeds) or on its own when none is given.</summary>
    public Task<StoredRecord> InsertAsync(NewRecord record, NpgsqlConnection? connection, NpgsqlTransaction? transaction, CancellationToken ct) =>
        InsertAsync(record, connection, transaction, null, ct);

    /// <summary>
    /// Inserts the record, and in the same round trip and implicit transaction the commands <paramref name="also"/>
    /// adds (a flow starting with it); any failure rolls all of them back. The stored record is built here from what was
    /// sent (the database returns only the auto-numbers it assigned, which are written into <see cref="NewRecord.Data"/>),
    /// so the 201 of a create costs no second copy of the row on the way back.
    /// </summary>
    public async Task<StoredRecord> InsertAsync(NewRecord record, NpgsqlConnection? connection, NpgsqlTransaction? transaction, Action<NpgsqlBatch>? also, CancellationToken ct)
    {
        var at = StoredInstant(record.At);
        var own = connection is null ? await dataSource.OpenConnectionAsync(ct) : null;
        try
        {
            await using var batch = new NpgsqlBatch(connection ?? own, transaction);

            // With its flows' writes, the record is written on its own (no caller's transaction): its xmin is that transaction's id,
            // read first, so the started instances can be cached with it (FlowInstanceCache).
            batch.BatchCommands.Add(InsertCommand(record, at));
            also?.Invoke(batch);
            var readXid = also is not null && transaction is null;
            if (readXid)
            {
                TransactionId.AskFirst(batch);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            var xmin = readXid ? await TransactionId.ReadAsync(reader, ct) : 0;

            if (record.AutoNumbers.Count > 0 && await reader.ReadAsync(ct))
            {
                for (var i = 0; i < record.AutoNumbers.Count; i++)
                {
                    record.Data[record.AutoNumbers[i].Field] = reader.GetString(i);
                }
            }

            while (await reader.NextResultAsync(ct))
            {
            }

            return new StoredRecord(record.Id, record.AppKey, record.EntityKey, record.Data, 1, record.DefinitionVersion, at, record.By, at, record.By) { Xmin = xmin };
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Inserts several validated records, each with its audit row and auto-numbers, as one batch in one implicit transaction
    /// (one round trip, one commit): all of them or, when any statement fails, none. The auto-numbers are written into each
    /// <see cref="NewRecord.Data"/> only once the commit is confirmed, so a failed batch leaves the records as they came.
    /// </summary>
    public async Task<StoredRecord[]> InsertManyAsync(IReadOnlyList<NewRecord> records, CancellationToken ct)
    {
        var at = new DateTimeOffset[records.Count];
        var numbers = new string[records.Count][];
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var batch = new NpgsqlBatch(connection))
        {
            for (var i = 0; i < records.Count; i++)
            {
                at[i] = StoredInstant(records[i].At);
                batch.BatchCommands.Add(InsertCommand(records[i], at[i]));
            }

            // The reader skips statements that return no rows, so its result sets are those of the records with auto-numbers, in order.
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var first = true;
            for (var i = 0; i < records.Count; i++)
            {
                var slots = records[i].AutoNumbers;
                if (slots.Count == 0)
                {
                    continue;
                }

                if (!first && !await reader.NextResultAsync(ct))
                {
                    throw new InvalidOperationException("The batched create returned fewer result sets than it has records with auto-numbers.");
                }

                first = false;
                if (!await reader.ReadAsync(ct))
                {
                    throw new InvalidOperationException("A batched create with auto-numbers returned no row.");
                }

                numbers[i] = new string[slots.Count];
                for (var j = 0; j < slots.Count; j++)
                {
                    numbers[i][j] = reader.GetString(j);
                }
            }

            while (await reader.NextResultAsync(ct))
            {
            }
        }

        // Disposing the reader read up to ReadyForQuery: the implicit transaction has committed.
        var stored = new StoredRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            for (var j = 0; j < record.AutoNumbers.Count; j++)
            {
                record.Data[record.AutoNumbers[j].Field] = numbers[i][j];
            }

            stored[i] = new StoredRecord(record.Id, record.AppKey, record.EntityKey, record.Data, 1, record.DefinitionVersion, at[i], record.By, at[i], record.By);
        }

        return stored;
    }

    /// <summary>An instant as <c>timestamptz</c> keeps it: whole microseconds (Npgsql truncates the ticks below them).</summary>
    public static DateTimeOffset StoredInstant(DateTimeOffset at) => new(at.Ticks - (at.Ticks % 10), at.Offset);

    /// <summary>
    /// The one statement that inserts a record, takes its auto-numbers and writes its audit row; it returns the assigned
    /// auto-numbers (one row, one column per number) and nothing when there are none. Its text depends only on the number
    /// of auto-numbers and on whether the owner department is given, so Npgsql prepares each shape once.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(NewRecord record, DateTimeOffset at)
    {
        var cmd = new NpgsqlBatchCommand(InsertSql(record.AutoNumbers.Count, record.OwnerDepartmentKnown));
        var parameters = cmd.Parameters;
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = record.Id });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.AppKey });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.EntityKey });
        parameters.Add(new NpgsqlParameter<JsonObject> { TypedValue = record.Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = record.DefinitionVersion });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.By });
        if (record.OwnerDepartmentKnown)
        {
            parameters.Add(new NpgsqlParameter { Value = (object?)record.OwnerDepartment ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }

        foreach (var n in record.AutoNumbers)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = n.SequenceKey });
            parameters.Add(new NpgsqlParameter<string> { TypedValue = n.Field });
            parameters.Add(new NpgsqlParameter<string> { TypedValue = n.Prefix });
            parameters.Add(new NpgsqlParameter<int> { TypedValue = n.Width });
            parameters.Add(new NpgsqlParameter<string> { TypedValue = n.Suffix });
        }

        return cmd;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int AutoNumbers, bool OwnerKnown), string> InsertSqls = new();

    /// <summary>
    /// Parameters: $1 id, $2 app, $3 entity, $4 data, $5 definition version, $6 at, $7 by, [$8 owner department], then per
    /// auto-number sequence key, field, prefix, width, suffix. The audit row of a create stores the data once.
    /// </summary>
    private static string InsertSql(int autoNumbers, bool ownerKnown) => InsertSqls.GetOrAdd((autoNumbers, ownerKnown), static shape =>
    {
        var (count, known) = shape;
        var owner = known ? "$8" : "(select u.department from users u where u.user_name = $7)";
        var next = known ? 9 : 8;
        var sql = new StringBuilder("with ");
        var data = new StringBuilder("$4::jsonb");
        var returning = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (key, field, prefix, width, suffix) = (next, next + 1, next + 2, next + 3, next + 4);
            next += 5;
            sql.Append($"s{i} as (insert into number_sequences as ns (key, value) values (${key}, 1) on conflict (key) do update set value = ns.value + 1 returning value), ");
            data.Append($" || jsonb_build_object(${field}::text, ${prefix}::text || lpad(s{i}.value::text, ${width}::int, '0') || ${suffix}::text)");
            returning.Add($"changes ->> ${field}::text");
        }

        sql.Append($"""
            r as (insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by, owner_department)
              select $1, $2, $3, {data}, 1, $5, $6, $7, $6, $7, {owner}{(count > 0 ? " from " + string.Join(", ", Enumerable.Range(0, count).Select(i => $"s{i}")) : string.Empty)}
              returning data)
            insert into record_audit (record_id, version, app_key, entity_key, action, at, by, changes)
              select $1, 1, $2, $3, 'create', $6, $7, r.data from r
            """);
        if (returning.Count > 0)
        {
            sql.Append(" returning ").Append(string.Join(", ", returning));
        }

        return sql.ToString();
    });

    /// <summary>Replaces the data when the stored version is still <paramref name="expectedVersion"/>; null on a conflict.</summary>
    public async Task<StoredRecord?> UpdateAsync(
        StoredRecord existing, int expectedVersion, JsonObject data, JsonObject changes, int definitionVersion, string by, DateTimeOffset at, CancellationToken ct,
        NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        await using var cmd = connection is null ? dataSource.CreateCommand() : new NpgsqlCommand(null, connection, transaction);
        var p = new ParameterList(cmd);
        cmd.CommandText = $"""
            with r as (update records set data = {p.Add(data.ToJsonString(), NpgsqlDbType.Jsonb)}::jsonb, version = version + 1,
                definition_version = {p.Add(definitionVersion)}, updated_at = {p.Add(at)}, updated_by = {p.Add(by)}
              where id = {p.Add(existing.Id)} and app_key = {p.Add(existing.AppKey)} and entity_key = {p.Add(existing.EntityKey)} and version = {p.Add(expectedVersion)}
              returning {Columns}),
            a as (insert into record_audit (record_id, version, app_key, entity_key, action, at, by, changes)
              select r.id, r.version, r.app_key, r.entity_key, 'update', r.updated_at, r.updated_by, {p.Add(changes.ToJsonString(), NpgsqlDbType.Jsonb)}::jsonb from r)
            select * from r
            """;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Deletes the record (when at <paramref name="expectedVersion"/> if given) and audits it; false when nothing matched.</summary>
    public async Task<bool> DeleteAsync(
        StoredRecord existing, int? expectedVersion, string by, DateTimeOffset at, CancellationToken ct, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        await using var cmd = connection is null ? dataSource.CreateCommand() : new NpgsqlCommand(null, connection, transaction);
        var p = new ParameterList(cmd);
        var versionFilter = expectedVersion is { } v ? $" and version = {p.Add(v)}" : string.Empty;
        cmd.CommandText = $"""
            with d as (delete from records where id = {p.Add(existing.Id)} and app_key = {p.Add(existing.AppKey)} and entity_key = {p.Add(existing.EntityKey)}{versionFilter}
              returning id, app_key, entity_key, version, data),
            a as (insert into record_audit (record_id, version, app_key, entity_key, action, at, by, changes)
              select d.id, d.version + 1, d.app_key, d.entity_key, 'delete', {p.Add(at)}, {p.Add(by)}, d.data from d)
            select count(*) from d
            """;
        return (long)(await cmd.ExecuteScalarAsync(ct))! > 0;
    }

    /// <summary>
    /// Finds, in one round trip, the first record of each (entity, field = value) request; with <paramref name="readable"/>
    /// (entity key and parameter function to a condition over <c>records</c>, null for every row) only among those rows.
    /// </summary>
    public async Task<IReadOnlyList<StoredRecord?>> FindByFieldsAsync(
        string app, IReadOnlyList<(string Entity, string Field, string Value)> requests, CancellationToken ct, Func<string, Func<object, string>, string?>? readable = null)
    {
        var results = new StoredRecord?[requests.Count];
        if (requests.Count == 0)
        {
            return results;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (entity, field, value) in requests)
        {
            var match = field == "id" ? "id = $3::uuid" : $"data->>{SqlIdentifiers.Literal(field)} = $3";
            var c = new NpgsqlBatchCommand();
            c.Parameters.Add(new NpgsqlParameter { Value = app });
            c.Parameters.Add(new NpgsqlParameter { Value = entity });
            c.Parameters.Add(new NpgsqlParameter { Value = value });
            var scope = readable?.Invoke(entity, v =>
            {
                c.Parameters.Add(new NpgsqlParameter { Value = v });
                return "$" + c.Parameters.Count;
            });
            // coalesce: a null owner_department makes the scope null, which means "not readable".
            var within = scope is null ? string.Empty : $" and coalesce({scope}, false)";
            c.CommandText = $"select {Columns} from records where app_key = $1 and entity_key = $2 and {match}{within} order by created_at limit 1";
            batch.BatchCommands.Add(c);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        for (var i = 0; i < requests.Count; i++)
        {
            if (await reader.ReadAsync(ct))
            {
                results[i] = Read(reader);
            }

            await reader.NextResultAsync(ct);
        }

        return results;
    }

    /// <summary>The audit trail of one record, oldest first.</summary>
    public async Task<IReadOnlyList<RecordAuditEntry>> GetAuditAsync(string app, string entity, Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "select action, version, at, by, changes::text from record_audit where record_id = $1 and app_key = $2 and entity_key = $3 order by version");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entity });
        var list = new List<RecordAuditEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var action = reader.GetString(0);
            list.Add(new RecordAuditEntry(
                action, reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                ExpandChanges(action, (JsonObject)JsonNode.Parse(reader.GetString(4))!)));
        }

        return list;
    }

    /// <summary>
    /// Creates and deletes store the record's data once (the audit row is on the hot write path); they are
    /// read back in the same field-level before/after shape as updates.
    /// </summary>
    private static JsonObject ExpandChanges(string action, JsonObject stored)
    {
        if (action is not ("create" or "delete"))
        {
            return stored;
        }

        var changes = new JsonObject();
        foreach (var (key, value) in stored)
        {
            changes[key] = action == "create"
                ? new JsonObject { ["before"] = null, ["after"] = value?.DeepClone() }
                : new JsonObject { ["before"] = value?.DeepClone(), ["after"] = null };
        }

        return changes;
    }

    public static StoredRecord Read(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetString(1),
        r.GetString(2),
        (JsonObject)JsonNode.Parse(r.GetString(3))!,
        r.GetInt32(4),
        r.GetInt32(5),
        r.GetFieldValue<DateTimeOffset>(6),
        r.GetString(7),
        r.GetFieldValue<DateTimeOffset>(8),
        r.GetString(9));
}
