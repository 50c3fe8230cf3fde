using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>
/// Record commands: validate with the Core form engine (server is authoritative), then write record and
/// audit in one statement. Bad input changes nothing.
/// </summary>
public sealed class RecordService(RecordStore store, RecordValidation validation, FlowService flows, TimeProvider time)
{
    private static readonly IReadOnlySet<string> NoRoles = new HashSet<string>();

    public async Task<CommandResult<StoredRecord>> CreateAsync(AppDefinition app, EntityDefinition entity, JsonObject data, string by, CancellationToken ct, bool isPublic = false, IReadOnlySet<string>? allowedFields = null)
    {
        var now = time.GetUtcNow();
        var validated = await validation.ValidateAsync(app, entity, data, null, by, now, isPublic, allowedFields, ct);
        if (!validated.IsValid)
        {
            return CommandResult<StoredRecord>.Invalid(validated.Errors);
        }

        var id = Guid.CreateVersion7();
        IReadOnlyList<FlowWrite> starts = [];
        if (app.Flows.Count > 0)
        {
            var prepared = await flows.PrepareStartsAsync(app, entity, id, validated.Data, by, NoRoles, now, ct);
            if (prepared.Outcome != CommandOutcome.Ok)
            {
                return new CommandResult<StoredRecord>(prepared.Outcome, null, prepared.Errors, prepared.Detail);
            }

            starts = prepared.Value!;
        }

        try
        {
            var record = await store.InsertAsync(
                new NewRecord(id, app.Key, entity.Key, validated.Data, app.Version, now, by, validated.AutoNumbers), null, null,
                starts.Count == 0 ? null : batch =>
                {
                    foreach (var start in starts)
                    {
                        FlowStore.AddCommands(batch, start);
                    }
                },
                ct);
            if (starts.Count > 0)
            {
                var instance = starts[0].Result.Instance;
                record = record with { Flow = new RecordFlowState(instance.Id, instance.Status, instance.Active.Select(a => a.Step).ToList()) };
            }

            return CommandResult<StoredRecord>.Ok(record);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return UniqueViolation(app, entity, e);
        }
    }

    public async Task<CommandResult<StoredRecord>> UpdateAsync(AppDefinition app, EntityDefinition entity, Guid id, int expectedVersion, JsonObject data, string by, CancellationToken ct)
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
        var validated = await validation.ValidateAsync(app, entity, data, existing.Data, by, now, false, null, ct);
        if (!validated.IsValid)
        {
            return CommandResult<StoredRecord>.Invalid(validated.Errors);
        }

        var changes = RecordDiff.Changes(existing.Data, validated.Data);
        if (changes.Count == 0)
        {
            return CommandResult<StoredRecord>.Ok(existing);
        }

        try
        {
            var updated = await store.UpdateAsync(existing, expectedVersion, validated.Data, changes, app.Version, by, now, ct);
            if (updated is null)
            {
                return CommandResult<StoredRecord>.Conflict("The record was changed by someone else meanwhile; reload it and try again.");
            }

            await flows.OnRecordUpdatedAsync(app, entity, id, by, ct);
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

        var deleted = await store.DeleteAsync(existing, expectedVersion, by, time.GetUtcNow(), ct);
        return deleted ? CommandResult<bool>.Ok(true) : CommandResult<bool>.Conflict("The record was changed or deleted meanwhile.");
    }

    private static CommandResult<StoredRecord> UniqueViolation(AppDefinition app, EntityDefinition entity, PostgresException e)
    {
        var field = FieldIndexManager.FieldOfUniqueIndex(app, entity, e.ConstraintName) ?? "id";
        return CommandResult<StoredRecord>.Invalid(field, "该值已存在 / this value already exists and must be unique");
    }
}
