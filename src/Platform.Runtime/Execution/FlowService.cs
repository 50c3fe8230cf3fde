using System.Security.Claims;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Expressions;
using Platform.Core.Flows;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Execution.Rules;
using Platform.Runtime.Hosting;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>
/// Runs flow commands: loads the instance and its record, lets the pure interpreter decide, and writes the
/// result in one round trip guarded by the instance's row version. Two people acting at once: one wins, the
/// other gets a conflict (or, acting on a different task of the same instance, is retried on fresh state).
/// </summary>
public sealed class FlowService(
    NpgsqlDataSource dataSource,
    FlowStore store,
    FlowWriteQueue writes,
    FlowReadQueue reads,
    FlowInstanceCache cache,
    FlowCatalog flows,
    AppCatalog apps,
    FlowDirectoryCache directory,
    CalendarCatalog calendars,
    RecordValidation validation,
    OrganisationCache organisation,
    IExpressionEngine expressions,
    FlowInterpreter interpreter,
    PlatformSettings settings,
    IServiceProvider services,
    TimeProvider time)
{
    private const int Attempts = 4;

    /// <summary>The flows that start with a new record, computed before the insert so the record is written with their status.</summary>
    public async Task<CommandResult<IReadOnlyList<FlowWrite>>> PrepareStartsAsync(
        AppDefinition app, EntityDefinition entity, Guid recordId, JsonObject data, string by, IReadOnlySet<string> roles, DateTimeOffset now, CancellationToken ct)
    {
        List<FlowWrite>? writes = null;
        foreach (var flow in app.Flows)
        {
            if (flow.Entity != entity.Key || flow.StartOn != "create")
            {
                continue;
            }

            var context = await ContextAsync(flow, entity, data, now, ct);
            bool start;
            try
            {
                start = interpreter.ShouldStart(context);
            }
            catch (ExpressionFault e)
            {
                return CommandResult<IReadOnlyList<FlowWrite>>.Invalid("flow", $"流程 {flow.Key} 的启动条件出错：{e.Reason}");
            }

            if (!start)
            {
                continue;
            }

            var result = interpreter.Start(context, Guid.CreateVersion7(), app.Key, recordId, new FlowActor(by, roles));
            if (!result.IsOk)
            {
                return CommandResult<IReadOnlyList<FlowWrite>>.Invalid("flow", $"流程 {flow.Key} 无法启动：{result.Error!.Message}");
            }

            (writes ??= []).Add(await WriteFor(result, flow, entity, by, now, null, null, ct));
        }

        return CommandResult<IReadOnlyList<FlowWrite>>.Ok(writes ?? (IReadOnlyList<FlowWrite>)[]);
    }

    /// <summary>A user's action on a task.</summary>
    public async Task<CommandResult<FlowCommandOutcome>> ActAsync(Guid taskId, TaskActionRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Action))
        {
            return CommandResult<FlowCommandOutcome>.Invalid("action", $"缺少操作：应为 {string.Join(", ", TaskActions.OnTask)}");
        }

        var actor = Actor(user);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            // The first try may decide on this node's copy of the instance (its write is guarded).
            var snapshot = (attempt == 0 ? cache.FindByTask(taskId) : null) ?? await reads.LoadByTaskAsync(taskId, ct);
            if (snapshot is null)
            {
                return CommandResult<FlowCommandOutcome>.NotFound($"没有任务 {taskId}");
            }

            var answer = await ActOnAsync(snapshot, taskId, request, actor, ct);

            // Null: the write lost to another one. A refusal decided on a copy is decided again on a read.
            if (answer is not null && (answer.Outcome == CommandOutcome.Ok || !snapshot.Cached))
            {
                return answer;
            }
        }

        return CommandResult<FlowCommandOutcome>.Conflict("流程正在被其他人处理，请刷新后重试 / the flow changed meanwhile");
    }

    /// <summary>One try of <see cref="ActAsync"/> on <paramref name="snapshot"/>: the answer, or null when the instance moved on before the write.</summary>
    private async Task<CommandResult<FlowCommandOutcome>?> ActOnAsync(FlowSnapshot snapshot, Guid taskId, TaskActionRequest request, FlowActor actor, CancellationToken ct)
    {
        var task = snapshot.Instance.FindTask(taskId);
        if (task is null)
        {
            return CommandResult<FlowCommandOutcome>.Conflict("该任务已被处理或已关闭 / the task was already handled");
        }

        if (!task.IsFor(actor))
        {
            return CommandResult<FlowCommandOutcome>.Forbidden("只能处理分配给自己（或自己角色）的任务 / the task is not assigned to you");
        }

        var loaded = await LoadDefinitionsAsync(snapshot, ct);
        if (loaded.Problem is { } problem)
        {
            return problem;
        }

        var (app, entity, flow) = (loaded.App!, loaded.Entity!, loaded.Flow!);
        var now = time.GetUtcNow();
        var before = snapshot.Record?.Data ?? [];
        var record = before.DeepClone().AsObject();
        JsonObject? changed = null;
        if (request.Fields is { Count: > 0 } fields)
        {
            var editable = flow.FindStep(task.Step)?.Fields?.Editable ?? [];
            var refused = fields.Where(f => !editable.Contains(f.Key)).Select(f => f.Key).ToList();
            if (refused.Count > 0)
            {
                return CommandResult<FlowCommandOutcome>.Invalid(refused.ToDictionary(f => f, _ => (IReadOnlyList<string>)["此步骤不能修改该字段 / not editable at this step"]));
            }

            var scope = LookupScope.For(app, (await organisation.GetAsync(ct)).CallerOf(actor.UserName));
            var validated = await validation.ValidateAsync(app, entity, fields, before, actor.UserName, now, false, editable.ToHashSet(), ct, granted: editable.ToHashSet(), scope: scope);
            if (!validated.IsValid)
            {
                return CommandResult<FlowCommandOutcome>.Invalid(validated.Errors);
            }

            record = validated.Data;
            changed = RecordDiff.ChangedValues(before, record);
        }

        var context = await ContextAsync(flow, entity, record, now, ct);
        var result = interpreter.Act(context, snapshot.Instance, new TaskAction
        {
            TaskId = taskId, Action = request.Action!, Actor = actor, Comment = request.Comment, Fields = changed, To = request.To, Position = request.Position,
        });
        if (!result.IsOk)
        {
            return Refused(result.Error!);
        }

        var write = await WriteFor(result, flow, entity, actor.UserName, now, snapshot, changed, ct);
        return await TryWriteAsync(write, snapshot, app, entity, record, before, ct) is { } outcome ? CommandResult<FlowCommandOutcome>.Ok(outcome) : null;
    }

    /// <summary>withdraw, urge or comment on an instance.</summary>
    public async Task<CommandResult<FlowCommandOutcome>> ActOnInstanceAsync(Guid instanceId, string? action, string? comment, ClaimsPrincipal user, CancellationToken ct)
    {
        var actor = Actor(user);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var snapshot = await store.LoadAsync(instanceId, ct);
            if (snapshot is null)
            {
                return CommandResult<FlowCommandOutcome>.NotFound($"没有流程实例 {instanceId}");
            }

            var loaded = await LoadDefinitionsAsync(snapshot, ct);
            if (loaded.Problem is { } problem)
            {
                return problem;
            }

            var now = time.GetUtcNow();
            var record = (snapshot.Record?.Data ?? []).DeepClone().AsObject();
            var context = await ContextAsync(loaded.Flow!, loaded.Entity!, record, now, ct);
            var result = interpreter.ActOnInstance(context, snapshot.Instance, action ?? string.Empty, actor, comment);
            if (!result.IsOk)
            {
                return Refused(result.Error!);
            }

            var write = await WriteFor(result, loaded.Flow!, loaded.Entity!, actor.UserName, now, snapshot, null, ct);
            if (await TryWriteAsync(write, snapshot, loaded.App!, loaded.Entity!, record, snapshot.Record?.Data ?? [], ct) is { } outcome)
            {
                return CommandResult<FlowCommandOutcome>.Ok(outcome);
            }
        }

        return CommandResult<FlowCommandOutcome>.Conflict("流程正在被其他人处理，请刷新后重试 / the flow changed meanwhile");
    }

    /// <summary>After a record update: due-date fields and pause conditions of its running flows are re-read.</summary>
    public async Task OnRecordUpdatedAsync(AppDefinition app, EntityDefinition entity, Guid recordId, string by, CancellationToken ct)
    {
        if (!app.Flows.Any(f => f.Entity == entity.Key && f.Steps.Any(s => s.Deadline is { DueField: not null } or { PauseWhen: not null } || s.Wait?.UntilField is not null)))
        {
            return;
        }

        foreach (var id in await store.RunningInstancesAsync(recordId, ct))
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var snapshot = await store.LoadAsync(id, ct);
                var loaded = snapshot is null ? default : await LoadDefinitionsAsync(snapshot, ct);
                if (snapshot is null || loaded.Problem is not null)
                {
                    break;
                }

                var now = time.GetUtcNow();
                var context = await ContextAsync(loaded.Flow!, loaded.Entity!, (snapshot.Record?.Data ?? []).DeepClone().AsObject(), now, ct);
                var result = interpreter.RecordChanged(context, snapshot.Instance, new FlowActor(by, new HashSet<string>()));
                if (!result.IsOk || (result.History.Count == 0 && result.TimersSet.Count == 0 && result.TimersCancelled.Count == 0))
                {
                    break;
                }

                if (await TryWriteAsync(await WriteFor(result, loaded.Flow!, loaded.Entity!, by, now, snapshot, null, ct), snapshot, loaded.App!, loaded.Entity!, context.Record, snapshot.Record?.Data ?? [], ct) is not null)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Fires one claimed timer inside the claiming transaction; false when the instance moved on meanwhile.</summary>
    public async Task FireTimerAsync(FlowTimer timer, string node, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        cache.Forget(timer.InstanceId);
        var snapshot = await store.LoadAsync(timer.InstanceId, ct, connection, transaction);
        var now = time.GetUtcNow();
        FlowWrite? write = null;
        if (snapshot is not null && await LoadDefinitionsAsync(snapshot, ct) is { Problem: null } loaded)
        {
            var context = await ContextAsync(loaded.Flow!, loaded.Entity!, (snapshot.Record?.Data ?? []).DeepClone().AsObject(), now, ct);
            var result = interpreter.FireTimer(context, snapshot.Instance, timer.Id, timer.Step, timer.Kind);
            if (result.IsOk)
            {
                write = await WriteFor(result, loaded.Flow!, loaded.Entity!, "system", now, snapshot, null, ct) with { FiredTimer = timer, FiredBy = node };
            }
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        IReadOnlyList<RuleEvent> events = [];
        AppDefinition? timerApp = null;
        if (write is not null && (write.Result.History.Count > 0 || write.Result.TimersSet.Count > 0 || write.Result.Notifications.Count > 0))
        {
            FlowStore.AddCommands(batch, write);
            timerApp = await apps.GetAsync(snapshot!.Instance.App, ct);
            var entity = timerApp?.FindEntity(snapshot.Instance.Entity);
            if (timerApp is not null && entity is not null)
            {
                events = StepEvents(timerApp, entity, write.Result, snapshot.Record?.Data ?? [], "system", includeRecordChange: true);
            }
        }
        else
        {
            batch.BatchCommands.Add(FlowStore.FiredTimerCommand(timer, now, node));
        }

        await batch.ExecuteNonQueryAsync(ct);
        if (timerApp is not null && RuleRunner.Concerns(timerApp, events))
        {
            await services.GetRequiredService<RuleRunner>().RunAsync(timerApp, connection, transaction, now, events, ct);
        }
    }

    /// <summary>
    /// A rule's flow action inside its chain's transaction: the open task of <paramref name="step"/> on the record's
    /// running flow is approved or rejected as <c>rule:key</c>, with <paramref name="fields"/> (validated like a handler's
    /// input, editable fields of the step only) written onto the record. Returns whether a task was acted on, the events the
    /// flow's move causes, and a note when there was nothing to act on.
    /// </summary>
    public async Task<(bool Acted, IReadOnlyList<RuleEvent> Events, string? Note)> ActForRuleAsync(
        RuleChain chain, Guid recordId, string step, string verb, string? comment, string ruleKey, CancellationToken ct, JsonObject? fields = null)
    {
        foreach (var id in await store.RunningInstancesAsync(recordId, ct, chain.Connection, chain.Transaction))
        {
            var snapshot = await store.LoadAsync(id, ct, chain.Connection, chain.Transaction);
            var task = snapshot?.Instance.Tasks.FirstOrDefault(t => t.Step == step && t.Status == FlowTaskStatuses.Open);
            if (snapshot is null || task is null)
            {
                continue;
            }

            var loaded = await LoadDefinitionsAsync(snapshot, ct);
            if (loaded.Problem is not null)
            {
                continue;
            }

            var by = $"rule:{ruleKey}";
            var before = snapshot.Record?.Data ?? [];
            var record = before.DeepClone().AsObject();
            JsonObject? changed = null;
            if (fields is { Count: > 0 })
            {
                var editable = loaded.Flow!.FindStep(step)?.Fields?.Editable.ToHashSet(StringComparer.Ordinal) ?? [];
                if (fields.Select(f => f.Key).FirstOrDefault(k => !editable.Contains(k)) is { } refused)
                {
                    throw new RuleActionException($"字段 {refused} 在步骤 {step} 不可编辑 / {refused} is not editable at {step}");
                }

                var validated = await validation.ValidateAsync(chain.App, loaded.Entity!, fields, before, by, chain.Now, false, editable, ct, granted: editable);
                if (!validated.IsValid)
                {
                    throw new RuleActionException($"规则填写的字段无效 / the rule's fields are invalid: {string.Join("; ", validated.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
                }

                record = validated.Data;
                changed = RecordDiff.ChangedValues(before, record);
            }

            var context = await ContextAsync(loaded.Flow!, loaded.Entity!, record, chain.Now, ct);
            var result = interpreter.Act(context, snapshot.Instance, new TaskAction { TaskId = task.Id, Action = verb, Actor = FlowActor.Rule(ruleKey), Comment = comment, Fields = changed });
            if (!result.IsOk)
            {
                throw new RuleActionException($"流程拒绝了规则的操作 / the flow refused {verb} at {step}: {result.Error!.Message}");
            }

            var write = await WriteFor(result, loaded.Flow!, loaded.Entity!, by, chain.Now, snapshot, changed, ct);
            cache.Forget(id);
            await using var batch = new NpgsqlBatch(chain.Connection, chain.Transaction);
            FlowStore.AddCommands(batch, write);
            await batch.ExecuteNonQueryAsync(ct);
            var events = StepEvents(chain.App, loaded.Entity!, result, record, by, includeRecordChange: true, old: before);
            if (events.LastOrDefault(e => e.RecordId == recordId)?.Record is { } after)
            {
                chain.Records[recordId] = after;
            }

            return (true, events, null);
        }

        return (false, [], $"步骤 {step} 没有待办任务 / no open task at {step}");
    }

    /// <summary>
    /// The rule events of a flow command: the steps it completed and entered and, for an existing record, the
    /// record change its status field made. <paramref name="old"/> is the record as stored before the command when
    /// <paramref name="record"/> is the working copy the interpreter already changed (else <paramref name="record"/> is it).
    /// </summary>
    public static List<RuleEvent> StepEvents(
        AppDefinition app, EntityDefinition entity, FlowResult result, JsonObject record, string by, bool includeRecordChange = false, JsonObject? old = null)
    {
        if (app.Rules.Count == 0)
        {
            return [];
        }

        var after = record.DeepClone().AsObject();
        foreach (var (k, v) in result.RecordChanges)
        {
            after[k] = v?.DeepClone();
        }

        var instance = result.Instance;
        RuleEvent Step(string type, string step) => new()
        {
            Type = type, App = app.Key, Entity = entity.Key, RecordId = instance.RecordId, Record = after, Flow = instance.Flow, Step = step,
            InstanceId = instance.Id, By = by,
        };

        var events = new List<RuleEvent>();
        events.AddRange(result.Completed.Select(s => Step(RuleTriggerTypes.StepCompleted, s)));
        events.AddRange(result.Entered.Select(s => Step(RuleTriggerTypes.StepEntered, s)));
        if (includeRecordChange && result.RecordChanges.Count > 0)
        {
            var changed = RecordDiff.Changes(old ?? record, after);
            if (changed.Count > 0)
            {
                events.Add(new RuleEvent
                {
                    Type = RuleTriggerTypes.RecordUpdated, App = app.Key, Entity = entity.Key, RecordId = instance.RecordId, Record = after, Old = old ?? record,
                    Changed = changed.Select(c => c.Key).ToList(), By = by,
                });
            }
        }

        return events;
    }

    /// <summary>
    /// Moves the running instances of an older version (all, or the listed ones) to <paramref name="toVersion"/>
    /// with a step mapping. Every instance is checked first; any refusal refuses all and changes nothing.
    /// </summary>
    public async Task<(int Migrated, IReadOnlyList<DefinitionProblem> Problems)> MigrateAsync(
        string app, string flowKey, int toVersion, int? fromVersion, IReadOnlyDictionary<string, string> mapping, IReadOnlyList<Guid>? only, string by, CancellationToken ct)
    {
        var target = await flows.GetAsync(app, flowKey, toVersion, ct);
        if (target is null)
        {
            return (0, [new DefinitionProblem("$.toVersion", $"流程 {flowKey} 没有版本 {toVersion}")]);
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = new List<(FlowInstance Instance, int RowVersion)>();
        await using (var cmd = new NpgsqlCommand("""
            select state::text, row_version from flow_instances
            where app_key = $1 and flow_key = $2 and status = 'running' and version < $3 and ($4::int is null or version = $4) and ($5::uuid[] is null or id = any($5))
            for update
            """, connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = app });
            cmd.Parameters.Add(new NpgsqlParameter { Value = flowKey });
            cmd.Parameters.Add(new NpgsqlParameter { Value = toVersion });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)fromVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)only?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((System.Text.Json.JsonSerializer.Deserialize<FlowInstance>(reader.GetString(0), MetadataJson.Options)!, reader.GetInt32(1)));
            }
        }

        var migration = new FlowMigration(interpreter.Steps);
        var problems = new List<DefinitionProblem>();
        var moved = new List<FlowInstance>();
        foreach (var (instance, _) in rows)
        {
            var source = await flows.GetAsync(app, flowKey, instance.Version, ct);
            if (source is null)
            {
                problems.Add(new DefinitionProblem($"$.instances.{instance.Id}", $"找不到实例的版本 {instance.Version}"));
                continue;
            }

            var (result, refused) = migration.Migrate(instance, source, target, mapping);
            problems.AddRange(refused.Select(p => p with { Path = $"$.instances.{instance.Id}{p.Path[1..]}" }));
            if (result is not null)
            {
                moved.Add(result);
            }
        }

        if (problems.Count > 0)
        {
            return (0, problems);
        }

        string Map(string key) => mapping.TryGetValue(key, out var t) ? t : key;
        await using var batch = new NpgsqlBatch(connection, transaction);
        var now = time.GetUtcNow();
        foreach (var instance in moved)
        {
            cache.Forget(instance.Id);
            var here = instance.Active.FirstOrDefault()?.Step ?? string.Empty;
            instance.HistoryCount++;
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "update flow_instances set state = $2::jsonb, version = $3, row_version = row_version + 1 where id = $1")
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = instance.Id },
                    new NpgsqlParameter { Value = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(instance, FlowStateJson.Default.FlowInstance), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb },
                    new NpgsqlParameter { Value = toVersion },
                },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, to_value) values ($1, $2, $3, $3, 'migrate', $4, $5, $6, $7)")
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = instance.Id }, new NpgsqlParameter { Value = instance.HistoryCount }, new NpgsqlParameter { Value = here },
                    new NpgsqlParameter { Value = by }, new NpgsqlParameter { Value = now }, new NpgsqlParameter { Value = $"迁移到版本 {toVersion}" },
                    new NpgsqlParameter { Value = toVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
            });
            foreach (var (old, to) in mapping)
            {
                foreach (var sql in new[]
                {
                    "update flow_tasks set step = $3 where instance_id = $1 and step = $2 and status in ('open', 'waiting')",
                    "update timers set step = $3 where instance_id = $1 and step = $2",
                })
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(sql)
                    {
                        Parameters = { new NpgsqlParameter { Value = instance.Id }, new NpgsqlParameter { Value = old }, new NpgsqlParameter { Value = Map(old) } },
                    });
                }
            }
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return (moved.Count, []);
    }

    /// <summary>Dry-runs a flow against a sample record; nothing is written.</summary>
    public async Task<FlowSimulation> SimulateAsync(FlowDefinition flow, EntityDefinition entity, JsonObject record, IReadOnlyDictionary<string, string>? decisions, string by, CancellationToken ct)
    {
        var context = await ContextAsync(flow, entity, record, time.GetUtcNow(), ct);
        return new FlowSimulator(interpreter).Run(context, decisions, by);
    }

    public static FlowActor Actor(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? "anonymous", user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    /// <summary>The field whose value names a record in task titles: the title field, else the first auto-number.</summary>
    public static string? TitleField(EntityDefinition entity) =>
        entity.TitleField ?? entity.Fields.FirstOrDefault(f => f.Type == "auto-number")?.Key;

    private async Task<FlowContext> ContextAsync(FlowDefinition flow, EntityDefinition entity, JsonObject record, DateTimeOffset now, CancellationToken ct) => new()
    {
        Definition = flow,
        Entity = entity,
        Record = record,
        Now = now,
        Expressions = expressions,
        Directory = await directory.GetAsync(ct),
        Calendar = await calendars.GetAsync(flow.Calendar, ct),
    };

    private async Task<FlowWrite> WriteFor(FlowResult result, FlowDefinition flow, EntityDefinition entity, string by, DateTimeOffset now, FlowSnapshot? snapshot, JsonObject? fields, CancellationToken ct) =>
        Write(result, flow, entity, by, now, snapshot?.RowVersion, snapshot?.Record?.Data, fields, await directory.GetAsync(ct), settings.Smtp.Enabled) with
        {
            // Decided on this node's copy: the record must still be the stored one when it is written (whatever wrote it meanwhile).
            // A command decided on a fresh read keeps the old behaviour (its changes merge onto whatever the record has by then),
            // so a busy record (lines being imported, an aggregate's recount) does not starve approvals or deadline recomputes.
            ExpectedRecordXmin = snapshot is { Cached: true, Record: { Xmin: not 0 } stored } ? stored.Xmin : null,
        };

    /// <summary>
    /// What to write for one interpreted command: a new instance when <paramref name="rowVersion"/> is null (its record
    /// is written with it, so task titles read the record's auto-number in SQL), else the instance loaded at that row
    /// version over the record data <paramref name="recordBefore"/>. Every command path (and the demo data) builds it here.
    /// </summary>
    public static FlowWrite Write(
        FlowResult result, FlowDefinition flow, EntityDefinition entity, string by, DateTimeOffset now, int? rowVersion, JsonObject? recordBefore, JsonObject? fields,
        IFlowDirectory directory, bool email)
    {
        // A new record gets its auto-number in SQL, so its title is read there; an existing one's is known here.
        var titleField = TitleField(entity);
        var suffix = recordBefore is { } stored && titleField is not null && stored[titleField] is { } value ? $" · {value}" : null;
        return new FlowWrite
        {
            Result = result,
            Definition = flow,
            ExpectedRowVersion = rowVersion,
            RecordBefore = recordBefore,
            RecordFields = fields,
            RecordTitle = flow.Name + suffix,
            TitleField = rowVersion is null ? titleField : null,
            TitleSuffix = suffix,
            By = by,
            Now = now,
            Directory = directory,
            Email = email,
        };
    }

    /// <summary>
    /// Writes the command and runs the rules it triggers in the same transaction; null when the instance changed meanwhile. A
    /// command that triggers no rule goes through <see cref="FlowWriteQueue"/> (group commit with concurrent commands).
    /// The outcome is where the flow stands after those rules (auto_dispatch completes the dispatch step the command entered).
    /// </summary>
    private async Task<FlowCommandOutcome?> TryWriteAsync(FlowWrite write, FlowSnapshot snapshot, AppDefinition app, EntityDefinition entity, JsonObject record, JsonObject old, CancellationToken ct)
    {
        try
        {
            return await TryWriteOnceAsync(write, snapshot, app, entity, record, old, ct);
        }
        catch (Exception e) when (DeadlockRetry.IsRetryable(e))
        {
            cache.Forget(write.Result.Instance.Id);
            // Rolled back whole (a deadlock with another writer of the record's rollup rows, say): like a conflict, the caller
            // loads the flow again and runs the command on fresh state, after a short jittered wait.
            await Task.Delay(TimeSpan.FromMilliseconds(5 + Random.Shared.Next(25)), ct);
            return null;
        }
    }

    private async Task<FlowCommandOutcome?> TryWriteOnceAsync(FlowWrite write, FlowSnapshot snapshot, AppDefinition app, EntityDefinition entity, JsonObject record, JsonObject old, CancellationToken ct)
    {
        var events = StepEvents(app, entity, write.Result, record, write.By, includeRecordChange: true, old: old);
        var withRules = RuleRunner.Concerns(app, events);
        var instanceId = write.Result.Instance.Id;
        if (!withRules && write.FiredTimer is null)
        {
            // Self-contained (the batch is its whole write): group-committed with concurrent commands, answered after its commit.
            if (await writes.WriteAsync(write, ct) is not { } xid)
            {
                cache.Forget(instanceId);
                return null;
            }

            cache.Remember(snapshot, write, xid, HoldsAggregates(entity));
            return Outcome(write.Result);
        }

        // Rules may move the flow and the record further in this transaction: the next action reads them.
        cache.Forget(instanceId);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = withRules ? await connection.BeginTransactionAsync(ct) : null;
        await using var batch = new NpgsqlBatch(connection, transaction);
        FlowStore.AddCommands(batch, write);
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == FlowStore.ConflictState)
        {
            return null;
        }

        var outcome = Outcome(write.Result);
        if (transaction is not null)
        {
            await services.GetRequiredService<RuleRunner>().RunAsync(app, connection, transaction, write.Now, events, ct);
            if (await store.LoadAsync(write.Result.Instance.Id, ct, connection, transaction) is { } after)
            {
                // Opened by the command or by the rules' flow actions after it, and still open.
                var known = write.Result.Instance.Tasks.Select(t => t.Id).Except(write.Result.OpenedTasks.Select(t => t.Id)).ToHashSet();
                var opened = after.Instance.Tasks.Where(t => t.Status == FlowTaskStatuses.Open && !known.Contains(t.Id)).Select(t => t.Id).ToList();
                outcome = new FlowCommandOutcome(after.Instance.Id, after.Instance.Status, after.Instance.Active.Select(a => a.Step).ToList(), opened);
            }

            await transaction.CommitAsync(ct);
        }

        return outcome;
    }

    private async Task<(AppDefinition? App, EntityDefinition? Entity, FlowDefinition? Flow, CommandResult<FlowCommandOutcome>? Problem)> LoadDefinitionsAsync(FlowSnapshot snapshot, CancellationToken ct)
    {
        var app = await apps.GetAsync(snapshot.Instance.App, ct);
        var entity = app?.FindEntity(snapshot.Instance.Entity);
        var flow = await flows.GetAsync(snapshot.Instance.App, snapshot.Instance.Flow, snapshot.Instance.Version, ct);
        return app is null || entity is null || flow is null
            ? (null, null, null, CommandResult<FlowCommandOutcome>.NotFound($"流程 {snapshot.Instance.Flow} v{snapshot.Instance.Version} 或其实体已不存在"))
            : (app, entity, flow, null);
    }

    /// <summary>Whether the database recomputes fields of the entity's records while writing them (aggregates).</summary>
    public static bool HoldsAggregates(EntityDefinition entity) => entity.Fields.Any(f => f.Type == "aggregate");

    private static FlowCommandOutcome Outcome(FlowResult result) => new(
        result.Instance.Id, result.Instance.Status, result.Instance.Active.Select(a => a.Step).ToList(), result.OpenedTasks.Select(t => t.Id).ToList());

    private static CommandResult<FlowCommandOutcome> Refused(FlowError error) => error.Kind switch
    {
        FlowErrorKind.NotFound => CommandResult<FlowCommandOutcome>.NotFound(error.Message),
        FlowErrorKind.Forbidden => CommandResult<FlowCommandOutcome>.Forbidden(error.Message),
        FlowErrorKind.Conflict => CommandResult<FlowCommandOutcome>.Conflict(error.Message),
        _ => CommandResult<FlowCommandOutcome>.Invalid(error.Field ?? "action", error.MessageIn(Platform.Designer.Localization.Text.IsEnglish)),
    };
}
