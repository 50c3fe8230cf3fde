using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Expressions;
using Platform.Core.Flows.Calendars;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Runtime.Hosting.DemoData;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Hosting;

/// <summary>
/// Loads the generated demo data once: every row is validated by the same form engine as the API (formulas,
/// lookups, references), the flows of returns, service requests and claims are played through the flow engine
/// (<see cref="DemoFlowRunner"/>), then all rows go in with one binary COPY (and their create audit rows), the
/// flows' writes follow in a few batches of the statements the live engine writes, the overdue rules whose timers fell
/// due on the way fire through the rule runner at their moment (firing log, notifications), those still pending get
/// their timers, and the auto-number sequences
/// are moved past the numbers used, in one transaction.
/// </summary>
public sealed class DemoDataLoader(
    NpgsqlDataSource dataSource, AppCatalog catalog, FieldTypeRegistry types, ExpressionLimits limits, DemoFlowRunner runner, CalendarCatalog calendars,
    Execution.Files.FileStore files, Execution.Rules.RuleRunner rules, TimeProvider time, ILogger<DemoDataLoader> logger)
{
    private readonly RecordValidator validator = new(types, PatientEngine(limits));

    /// <summary>The validator the demo rows are checked with (its expressions as patient as <see cref="PatientEngine"/>).</summary>
    public RecordValidator Validator => validator;

    /// <summary>
    /// The template's own formulas and flow conditions, computed at start-up: the statement and memory limits still apply, but
    /// a busy machine (a CI runner building in parallel) must not fail the start because one evaluation waited 100 ms for a core.
    /// </summary>
    public static JintExpressionEngine PatientEngine(ExpressionLimits limits) => new(limits with { TimeoutMs = Math.Max(limits.TimeoutMs, 5_000) });

    private const int StatementsPerBatch = 4000;

    /// <summary>
    /// Loads the demo data of <paramref name="seed"/> as of <paramref name="asOf"/> (default: now) when the app has no records;
    /// returns how many records went in (0 when it already had some).
    /// </summary>
    public async Task<int> LoadIfEmptyAsync(string appKey, int seed, CancellationToken ct, DateTimeOffset? asOf = null)
    {
        var app = await catalog.GetAsync(appKey, ct) ?? throw new InvalidOperationException($"App '{appKey}' is not installed.");
        var watch = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var xactLock = new NpgsqlCommand("select pg_advisory_xact_lock(7226002)", connection, transaction))
        {
            await xactLock.ExecuteNonQueryAsync(ct);
        }

        await using (var guard = new NpgsqlCommand("select exists(select 1 from records where app_key = $1)", connection, transaction))
        {
            guard.Parameters.Add(new NpgsqlParameter { Value = appKey });
            if ((bool)(await guard.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        var now = asOf ?? time.GetUtcNow();
        var byKey = new Dictionary<string, BusinessCalendar>(StringComparer.Ordinal);
        foreach (var key in app.Flows.Select(f => f.Calendar ?? CalendarCatalog.DefaultKey).Distinct())
        {
            byKey[key] = await calendars.GetAsync(key, ct);
        }

        var set = Prepare(app, seed, now, validator, runner, key => byKey[key ?? CalendarCatalog.DefaultKey]);
        var prepared = watch.ElapsedMilliseconds;

        // Aggregates (engineer.open_jobs) are counted once when everything is in, not again for every row and flow step.
        await Execution.Aggregates.RecordAggregates.DeferAsync(connection, transaction, ct);
        await using (var importer = await connection.BeginBinaryImportAsync(
            "copy records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) from stdin (format binary)", ct))
        {
            foreach (var (record, data) in set.Records)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(record.Id, NpgsqlDbType.Uuid, ct);
                await importer.WriteAsync(appKey, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(record.Entity, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(data.ToJsonString(), NpgsqlDbType.Jsonb, ct);
                await importer.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(app.Version, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(record.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await importer.WriteAsync(record.CreatedBy, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(record.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await importer.WriteAsync(record.CreatedBy, NpgsqlDbType.Text, ct);
            }

            await importer.CompleteAsync(ct);
        }

        // Each record belongs to its creator's department, as a create through the API records it.
        await using (var owners = new NpgsqlCommand(
            "update records r set owner_department = u.department from users u where u.user_name = r.created_by and r.app_key = $1 and u.department is not null", connection, transaction))
        {
            owners.Parameters.Add(new NpgsqlParameter { Value = appKey });
            await owners.ExecuteNonQueryAsync(ct);
        }

        // Each record's first audit row, as a create through the API writes it (its data as inserted); the flows' updates follow.
        await using (var audit = new NpgsqlCommand("""
            insert into record_audit (record_id, version, app_key, entity_key, action, at, by, changes)
            select id, 1, app_key, entity_key, 'create', created_at, created_by, data from records where app_key = $1
            """, connection, transaction))
        {
            audit.Parameters.Add(new NpgsqlParameter { Value = appKey });
            await audit.ExecuteNonQueryAsync(ct);
        }

        await WriteFlowsAsync(connection, transaction, appKey, set.Flows, now, ct);
        await FireOverdueRulesAsync(connection, transaction, app, set.Flows, now, ct);
        await Execution.Aggregates.RecordAggregates.RecomputeAsync(connection, transaction, appKey, ct);
        await files.EnsureAsync(DemoSignature.FileId, DemoSignature.FileName, DemoSignature.Bytes(), connection, transaction, ct);

        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var (key, value) in set.Sequences)
            {
                var cmd = new NpgsqlBatchCommand("insert into number_sequences (key, value) values ($1, $2) on conflict (key) do update set value = greatest(number_sequences.value, excluded.value)");
                cmd.Parameters.Add(new NpgsqlParameter { Value = key });
                cmd.Parameters.Add(new NpgsqlParameter { Value = value });
                batch.BatchCommands.Add(cmd);
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("analyze records, flow_instances, flow_tasks, flow_history"));
            await batch.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        logger.LogInformation(
            "Loaded {Count} demo records and {Instances} flow instances ({Statuses}) into {App} in {Ms} ms (generated, validated and flows played in {Prepared} ms)",
            set.Records.Count, set.Flows.Instances.Count, string.Join(", ", set.Flows.CountByStatus().Select(s => $"{s.Value} {s.Key}")), appKey, watch.ElapsedMilliseconds, prepared);
        return set.Records.Count;
    }

    /// <summary>
    /// Generates the demo data for <paramref name="now"/>, validates every record as the API would and plays the flows;
    /// nothing is written. Same seed and moment → the same data and the same flow histories (ids aside).
    /// </summary>
    public static DemoDataSet Prepare(
        AppDefinition app, int seed, DateTimeOffset now, RecordValidator validator, DemoFlowRunner runner, Func<string?, BusinessCalendar> calendars)
    {
        var generator = new DemoDataGenerator(app, seed, now);
        var generated = generator.Generate();
        var lookups = new DemoLookupSource();
        var rows = new List<(DemoRecord Record, JsonObject Data)>(generated.Count);
        foreach (var record in generated)
        {
            var entity = app.FindEntity(record.Entity)!;
            var result = validator.Validate(entity, record.Input, new RecordValidationContext
            {
                Now = record.CreatedAt,
                UserName = record.CreatedBy,
                Lookups = lookups,
            });
            if (!result.IsValid)
            {
                throw new InvalidOperationException(
                    $"Demo {record.Entity} does not validate: " + string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
            }

            foreach (var (key, value) in record.System)
            {
                result.Data[key] = value?.DeepClone();
            }

            lookups.Add(record.Entity, record.Id, result.Data);
            rows.Add((record, result.Data));
        }

        var flows = runner.Run(app, rows, calendars, now);
        return new DemoDataSet(rows, generator.Sequences, flows);
    }

    /// <summary>
    /// The <c>task.overdue</c> rules of the history, each through the rule runner at the moment its timer fell due (as the
    /// rule timer worker runs them); the timers not yet due are left pending. Alerts older than the last working hours are read.
    /// </summary>
    private async Task FireOverdueRulesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AppDefinition app, DemoFlowRun flows, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var o in flows.Overdue.OrderBy(o => o.At))
        {
            await rules.RunAsync(app, connection, transaction, o.At, [Event(o)], ct);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var o in flows.PendingOverdue)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("insert into timers (id, instance_id, step, kind, due_at, payload) values ($1, $2, $3, $4, $5, $6::jsonb)")
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = Guid.CreateVersion7(o.At) },
                    new NpgsqlParameter { Value = o.InstanceId },
                    new NpgsqlParameter { Value = o.Step },
                    new NpgsqlParameter { Value = Execution.Rules.RuleTimers.Overdue },
                    new NpgsqlParameter { Value = o.At.ToUniversalTime() },
                    new NpgsqlParameter
                    {
                        Value = new JsonObject { ["app"] = app.Key, ["rule"] = o.Rule, ["flow"] = o.Flow, ["entity"] = o.Entity, ["recordId"] = o.RecordId.ToString() }.ToJsonString(),
                        NpgsqlDbType = NpgsqlDbType.Jsonb,
                    },
                },
            });
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            update notifications set read_at = least(created_at + interval '20 minutes', $1)
            where kind = 'rule' and read_at is null and link like '/apps/' || $2 || '/%' and created_at < $1 - interval '8 hours'
            """)
        {
            Parameters = { new NpgsqlParameter { Value = now.ToUniversalTime() }, new NpgsqlParameter { Value = app.Key } },
        });
        await batch.ExecuteNonQueryAsync(ct);

        Platform.Core.Rules.Runtime.RuleEvent Event(DemoOverdue o) => new()
        {
            Type = Platform.Core.Rules.Definitions.RuleTriggerTypes.TaskOverdue, App = app.Key, Entity = o.Entity, RecordId = o.RecordId, Record = o.Record,
            Flow = o.Flow, Step = o.Step, InstanceId = o.InstanceId, Rule = o.Rule,
        };
    }

    /// <summary>
    /// The flows' writes in batches of a few thousand statements, the next batch built while the previous one runs;
    /// then what the demo users would long have read is marked read: only notifications of tasks still open, and
    /// reminders and results of the last working hours, stay unread.
    /// </summary>
    private static async Task WriteFlowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string appKey, DemoFlowRun flows, DateTimeOffset now, CancellationToken ct)
    {
        NpgsqlBatch? running = null;
        Task? pending = null;
        var batch = new NpgsqlBatch(connection, transaction);
        try
        {
            async Task SendAsync()
            {
                if (pending is not null)
                {
                    await pending;
                    await running!.DisposeAsync();
                }

                (running, pending) = (batch, batch.ExecuteNonQueryAsync(ct));
                batch = new NpgsqlBatch(connection, transaction);
            }

            foreach (var write in flows.Writes)
            {
                FlowStore.AddCommands(batch, write);
                if (batch.BatchCommands.Count >= StatementsPerBatch)
                {
                    await SendAsync();
                }
            }

            foreach (var (timer, at) in flows.QuietFirings)
            {
                batch.BatchCommands.Add(FlowStore.FiredTimerCommand(timer, at, DemoFlowRunner.Node));
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                update notifications n set read_at = least(n.created_at + interval '20 minutes', $1)
                where n.instance_id in (select id from flow_instances where app_key = $2) and n.read_at is null
                  and not exists (select 1 from flow_tasks t where t.id = n.task_id and t.status in ('open', 'waiting'))
                  and (n.task_id is not null or n.created_at < $1 - interval '8 hours')
                """)
            {
                Parameters = { new NpgsqlParameter { Value = now.ToUniversalTime() }, new NpgsqlParameter { Value = appKey } },
            });
            await SendAsync();
            await pending!;
        }
        finally
        {
            if (pending is not null)
            {
                // Only when something failed meanwhile: let the batch on the wire finish (its outcome no longer matters) before disposing it.
                await Task.WhenAny(pending);
            }

            if (running is not null)
            {
                await running.DisposeAsync();
            }

            await batch.DisposeAsync();
        }
    }
}
