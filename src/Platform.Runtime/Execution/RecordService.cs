using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Execution.Rules;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>
/// Record commands: validate with the Core form engine (server is authoritative), then write record and
/// audit in one statement. When rules look at the command's events, the write and the rules' chain share one
/// transaction. A create that is only its record and audit row goes through <see cref="RecordCreateQueue"/> (group commit
/// with concurrent ones). Bad input changes nothing.
/// </summary>
public sealed class RecordService(
    NpgsqlDataSource dataSource, RecordStore store, RecordCreateQueue creates, RecordValidation validation, FlowService flows, FlowStore flowStore, FlowInstanceCache flowCache, RuleRunner rules,
    TimeProvider time, ILogger<RecordService> logger)
{
    /// <summary>The first wait before a write that lost a deadlock runs again (see <see cref="DeadlockRetry"/>).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(10);

    private static readonly IReadOnlySet<string> NoRoles = new HashSet<string>();

    /// <summary>
    /// Creates a record. <paramref name="alsoTriggers"/> makes one more rule event from the new id and data (an
    /// inbound hook's <c>webhook</c> event), handled in the same transaction as the write. <paramref name="lookupScope"/> limits
    /// references and lookups to the records the signed-in caller may read. <paramref name="creator"/>, the signed-in caller
    /// named by <paramref name="by"/> as the organisation cache knows them, gives the record's owner department without a
    /// look-up in the insert.
    /// </summary>
    public async Task<CommandResult<StoredRecord>> CreateAsync(
        AppDefinition app, EntityDefinition entity, JsonObject data, string by, CancellationToken ct, bool isPublic = false, IReadOnlySet<string>? allowedFields = null,
        Func<Guid, JsonObject, RuleEvent>? alsoTriggers = null, LookupScope? lookupScope = null, Platform.Core.Access.Caller? creator = null)
    {
        var now = time.GetUtcNow();
        var (newRecord, starts, problem) = await PrepareCreateAsync(app, entity, data, by, now, isPublic, allowedFields, ct, lookupScope, creator);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var events = CreatedEvents(app, entity, newRecord!.Id, newRecord.Data, starts, by);
            if (alsoTriggers is not null)
            {
                events.Add(alsoTriggers(newRecord.Id, newRecord.Data));
            }

            List<RuleFiring>? quiet = null;
            if (RuleRunner.Concerns(app, events) && (quiet = rules.QuietFirings(app, events, now)) is null)
            {
                return CommandResult<StoredRecord>.Ok(await DeadlockRetry.RunAsync(
                    () => CreateWithRulesAsync(app, entity, newRecord, starts, by, now, alsoTriggers, ct), logger, $"Create of {app.Key}.{entity.Key}", RetryDelay, ct));
            }

            if (starts.Count == 0 && quiet is not { Count: > 0 } && !SharedRowWrites.Of(app, entity.Key))
            {
                // The record and its audit row are the whole write and nothing reads it before the commit: group commit.
                return CommandResult<StoredRecord>.Ok(await DeadlockRetry.RunAsync(() => creates.CreateAsync(newRecord, ct), logger, $"Create of {app.Key}.{entity.Key}", RetryDelay, ct));
            }

            var record = await DeadlockRetry.RunAsync(
                () => store.InsertAsync(newRecord, null, null, batch =>
                {
                    AddStarts(batch, starts);
                    if (quiet is { Count: > 0 })
                    {
                        RuleRunner.AddLogCommands(batch, Guid.CreateVersion7(), quiet);
                    }
                }, ct),
                logger, $"Create of {app.Key}.{entity.Key}", RetryDelay, ct);

            // Committed on its own with nothing else writing the record: the started instances' first actions need no read.
            flowCache.RememberStarted(record, starts, FlowService.HoldsAggregates(entity));
            return CommandResult<StoredRecord>.Ok(WithStartedFlow(record, starts));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return UniqueViolation(app, entity, e);
        }
    }

    /// <summary>
    /// Creates a record inside a rule chain's transaction (a rule's create-record action): validated, numbered and
    /// with its flows started as through the API; returns it with the events it causes.
    /// </summary>
    public async Task<(StoredRecord Record, IReadOnlyList<RuleEvent> Events)> CreateInChainAsync(RuleChain chain, EntityDefinition entity, JsonObject data, string by, CancellationToken ct)
    {
        var (newRecord, starts, problem) = await PrepareCreateAsync(chain.App, entity, data, by, chain.Now, false, null, ct);
        if (problem is not null)
        {
            var errors = problem.Errors?.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}") ?? [];
            throw new RuleActionException("新记录校验失败 / invalid record: " + (problem.Detail ?? string.Join("; ", errors)));
        }

        var record = await store.InsertAsync(newRecord!, chain.Connection, chain.Transaction, starts.Count == 0 ? null : batch => AddStarts(batch, starts), ct);
        return (record, CreatedEvents(chain.App, entity, record.Id, record.Data, starts, by));
    }

    /// <summary>
    /// Updates a record at <paramref name="expectedVersion"/>; <paramref name="alsoTriggers"/> and <paramref name="lookupScope"/>
    /// as for <see cref="CreateAsync"/> (the triggers run even when nothing changed).
    /// </summary>
    public async Task<CommandResult<StoredRecord>> UpdateAsync(
        AppDefinition app, EntityDefinition entity, Guid id, int expectedVersion, JsonObject data, string by, CancellationToken ct,
        Func<Guid, JsonObject, RuleEvent>? alsoTriggers = null, LookupScope? lookupScope = null)
    {
        var existing = await store.GetAsync(app.Key, entity.Key, id, ct);
        if (existing is null)
        {
            return CommandResult<StoredRecord>.NotFound($"No {entity.Key} record {id}.");
        }

        if (existing.Version != expectedVersion)
        {
            return CommandResult<StoredRecord>.Conflict($"The record is at version {existing.Version}, not {expectedVersion}; reload it and try again.");
        }

        var now = time.GetUtcNow();
        var validated = await validation.ValidateAsync(app, entity, data, existing.Data, by, now, false, null, ct, scope: lookupScope);
        if (!validated.IsValid)
        {
            return CommandResult<StoredRecord>.Invalid(validated.Errors);
        }

        var changes = RecordDiff.Changes(existing.Data, validated.Data);
        var also = alsoTriggers?.Invoke(id, validated.Data);
        if (changes.Count == 0 && also is null)
        {
            return CommandResult<StoredRecord>.Ok(existing);
        }

        try
        {
            var updated = await DeadlockRetry.RunAsync(
                () => UpdateWithRulesAsync(app, entity, existing, expectedVersion, validated.Data, changes, by, now, also, ct), logger, $"Update of {app.Key}.{entity.Key}/{id}", RetryDelay, ct);
            if (updated is null)
            {
                return CommandResult<StoredRecord>.Conflict("The record was changed by someone else meanwhile; reload it and try again.");
            }

            if (changes.Count > 0)
            {
                await flows.OnRecordUpdatedAsync(app, entity, id, by, ct);
            }

            return CommandResult<StoredRecord>.Ok(updated);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return UniqueViolation(app, entity, e);
        }
    }

    public async Task<CommandResult<bool>> DeleteAsync(AppDefinition app, EntityDefinition entity, Guid id, int? expectedVersion, string by, CancellationToken ct)
    {
        var existing = await store.GetAsync(app.Key, entity.Key, id, ct);
        if (existing is null)
        {
            return CommandResult<bool>.NotFound($"No {entity.Key} record {id}.");
        }

        if (expectedVersion is { } v && v != existing.Version)
        {
            return CommandResult<bool>.Conflict($"The record is at version {existing.Version}, not {v}.");
        }

        var now = time.GetUtcNow();
        var deleted = new RuleEvent { Type = RuleTriggerTypes.RecordDeleted, App = app.Key, Entity = entity.Key, RecordId = id, Record = existing.Data, By = by };
        return await DeadlockRetry.RunAsync(() => DeleteOnceAsync(app, existing, expectedVersion, deleted, by, now, ct), logger, $"Delete of {app.Key}.{entity.Key}/{id}", RetryDelay, ct);
    }

    private async Task<CommandResult<bool>> DeleteOnceAsync(AppDefinition app, StoredRecord existing, int? expectedVersion, RuleEvent deleted, string by, DateTimeOffset now, CancellationToken ct)
    {
        if (!RuleRunner.Concerns(app, [deleted]))
        {
            return await store.DeleteAsync(existing, expectedVersion, by, now, ct)
                ? CommandResult<bool>.Ok(true)
                : CommandResult<bool>.Conflict("The record was changed or deleted meanwhile.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await store.DeleteAsync(existing, expectedVersion, by, now, ct, connection, transaction))
        {
            return CommandResult<bool>.Conflict("The record was changed or deleted meanwhile.");
        }

        await rules.RunAsync(app, connection, transaction, now, [deleted], ct);
        await transaction.CommitAsync(ct);
        return CommandResult<bool>.Ok(true);
    }

    /// <summary>Validates a new record and prepares the flows it starts; the problem when either refuses it.</summary>
    private async Task<(NewRecord? Record, IReadOnlyList<FlowWrite> Starts, CommandResult<StoredRecord>? Problem)> PrepareCreateAsync(
        AppDefinition app, EntityDefinition entity, JsonObject data, string by, DateTimeOffset now, bool isPublic, IReadOnlySet<string>? allowedFields, CancellationToken ct,
        LookupScope? lookupScope = null, Platform.Core.Access.Caller? creator = null)
    {
        var validated = await validation.ValidateAsync(app, entity, data, null, by, now, isPublic, allowedFields, ct, scope: lookupScope);
        if (!validated.IsValid)
        {
            return (null, [], CommandResult<StoredRecord>.Invalid(validated.Errors));
        }

        var id = Guid.CreateVersion7();
        IReadOnlyList<FlowWrite> starts = [];
        if (app.Flows.Count > 0)
        {
            var prepared = await flows.PrepareStartsAsync(app, entity, id, validated.Data, by, NoRoles, now, ct);
            if (prepared.Outcome != CommandOutcome.Ok)
            {
                return (null, [], new CommandResult<StoredRecord>(prepared.Outcome, null, prepared.Errors, prepared.Detail));
            }

            starts = prepared.Value!;
        }

        var known = creator is not null && creator.UserName == by;
        return (new NewRecord(id, app.Key, entity.Key, validated.Data, app.Version, now, by, validated.AutoNumbers)
        {
            OwnerDepartmentKnown = known,
            OwnerDepartment = known ? creator!.Department : null,
        }, starts, null);
    }

    private static StoredRecord WithStartedFlow(StoredRecord record, IReadOnlyList<FlowWrite> starts)
    {
        if (starts.Count == 0)
        {
            return record;
        }

        var instance = starts[0].Result.Instance;
        return record with { Flow = new RecordFlowState(instance.Id, instance.Status, instance.Active.Select(a => a.Step).ToList()) };
    }

    /// <summary>The events of a create: the record, and the steps its flows entered.</summary>
    private static List<RuleEvent> CreatedEvents(AppDefinition app, EntityDefinition entity, Guid id, JsonObject data, IReadOnlyList<FlowWrite> starts, string by)
    {
        if (app.Rules.Count == 0)
        {
            return [];
        }

        var events = new List<RuleEvent> { new() { Type = RuleTriggerTypes.RecordCreated, App = app.Key, Entity = entity.Key, RecordId = id, Record = data, By = by } };
        foreach (var start in starts)
        {
            events.AddRange(FlowService.StepEvents(app, entity, start.Result, data, by));
        }

        return events;
    }

    private static void AddStarts(NpgsqlBatch batch, IReadOnlyList<FlowWrite> starts)
    {
        foreach (var start in starts)
        {
            FlowStore.AddCommands(batch, start);
        }
    }

    private async Task<StoredRecord> CreateWithRulesAsync(
        AppDefinition app, EntityDefinition entity, NewRecord newRecord, IReadOnlyList<FlowWrite> starts, string by, DateTimeOffset now, Func<Guid, JsonObject, RuleEvent>? alsoTriggers, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var record = await store.InsertAsync(newRecord, connection, transaction, starts.Count == 0 ? null : batch => AddStarts(batch, starts), ct);
        var events = CreatedEvents(app, entity, record.Id, record.Data, starts, by);
        if (alsoTriggers is not null)
        {
            events.Add(alsoTriggers(record.Id, record.Data));
        }

        var chain = await rules.RunAsync(app, connection, transaction, now, events, ct);
        await transaction.CommitAsync(ct);
        return await AfterRulesAsync(app, entity, WithStartedFlow(record, starts), chain, ct);
    }

    private async Task<StoredRecord?> UpdateWithRulesAsync(
        AppDefinition app, EntityDefinition entity, StoredRecord existing, int expectedVersion, JsonObject data, JsonObject changes, string by, DateTimeOffset now,
        RuleEvent? also, CancellationToken ct)
    {
        var events = new List<RuleEvent>();
        if (changes.Count > 0)
        {
            events.Add(new RuleEvent
            {
                Type = RuleTriggerTypes.RecordUpdated, App = app.Key, Entity = entity.Key, RecordId = existing.Id, Record = data, Old = existing.Data,
                Changed = changes.Select(c => c.Key).ToList(), By = by,
            });
        }

        if (also is not null)
        {
            events.Add(also);
        }

        if (!RuleRunner.Concerns(app, events))
        {
            return changes.Count == 0 ? existing : await store.UpdateAsync(existing, expectedVersion, data, changes, app.Version, by, now, ct);
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var record = changes.Count == 0 ? existing : await store.UpdateAsync(existing, expectedVersion, data, changes, app.Version, by, now, ct, connection, transaction);
        if (record is null)
        {
            return null;
        }

        var chain = await rules.RunAsync(app, connection, transaction, now, events, ct);
        await transaction.CommitAsync(ct);
        return await AfterRulesAsync(app, entity, record, chain, ct);
    }

    /// <summary>The record as committed: re-read only when the chain changed it (its data, version or flow state).</summary>
    private async Task<StoredRecord> AfterRulesAsync(AppDefinition app, EntityDefinition entity, StoredRecord record, RuleChain chain, CancellationToken ct)
    {
        if (!chain.Records.ContainsKey(record.Id))
        {
            return record;
        }

        var fresh = await store.GetAsync(app.Key, entity.Key, record.Id, ct) ?? record;
        var states = await flowStore.FlowsOfRecordsAsync([record.Id], ct);
        return states.TryGetValue(record.Id, out var s) ? fresh with { Flow = new RecordFlowState(s.Instance, s.Status, s.Active.ToList()) } : fresh;
    }

    private static CommandResult<StoredRecord> UniqueViolation(AppDefinition app, EntityDefinition entity, PostgresException e)
    {
        var field = FieldIndexManager.FieldOfUniqueIndex(app, entity, e.ConstraintName) ?? "id";
        return CommandResult<StoredRecord>.Invalid(field, "该值已存在 / this value already exists and must be unique");
    }
}
