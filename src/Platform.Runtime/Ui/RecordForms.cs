using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Ui;

/// <summary>The generated forms' commands, through the same RecordService and RecordStore as the records API, as the circuit's user.</summary>
public sealed class RecordForms(AppCatalog catalog, RecordStore store, RecordService records, RecordAccess access, CurrentUser user) : IRecordForms
{
    public async Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct)
    {
        // Each entity as the user's form shows it: read-only and hidden fields by their roles.
        if (await catalog.GetAsync(app, ct) is not { } definition)
        {
            return null;
        }

        var caller = await access.CallerAsync(await user.PrincipalAsync(), ct);
        return definition with { Entities = definition.Entities.Select(e => RecordPermit.For(e, caller).FormEntity).ToList() };
    }

    public async Task<RecordFormRecord?> GetRecordAsync(string app, string entity, Guid id, CancellationToken ct)
    {
        var (_, entityDefinition, failure) = await ResolveAsync(app, entity, ct);
        var record = failure is null ? await store.GetAsync(app, entity, id, ct) : null;
        if (record is null)
        {
            return null;
        }

        var permit = await access.ForAsync(entityDefinition!, await user.PrincipalAsync(), ct);
        return await access.AllowsAsync(permit, permit.Access.Read, id, ct) ? new RecordFormRecord(record.Id, permit.Visible(record.Data), record.Version) : null;
    }

    public async Task<RecordSaveResult> CreateAsync(string app, string entity, JsonObject data, CancellationToken ct)
    {
        var (definition, entityDefinition, failure) = await ResolveAsync(app, entity, ct);
        if (failure is not null)
        {
            return failure;
        }

        var permit = await access.ForAsync(entityDefinition!, await user.PrincipalAsync(), ct);
        if (RecordAccess.RefuseCreate(permit, data) is { } refused)
        {
            return ToSaveResult(refused);
        }

        var result = await records.CreateAsync(definition!, entityDefinition!, data, await user.NameAsync(), ct, lookupScope: LookupScope.For(definition!, permit.Caller));
        return ToSaveResult(result);
    }

    public async Task<RecordSaveResult> UpdateAsync(string app, string entity, Guid id, int version, JsonObject data, CancellationToken ct)
    {
        var (definition, entityDefinition, failure) = await ResolveAsync(app, entity, ct);
        if (failure is not null)
        {
            return failure;
        }

        var permit = await access.ForAsync(entityDefinition!, await user.PrincipalAsync(), ct);
        if (await access.RefuseUpdateAsync(permit, app, id, data, ct) is { } refused)
        {
            return ToSaveResult(refused);
        }

        var result = await records.UpdateAsync(definition!, entityDefinition!, id, version, data, await user.NameAsync(), ct, lookupScope: LookupScope.For(definition!, permit.Caller));
        return ToSaveResult(result);
    }

    /// <summary>A command's outcome as the form shows it (the same cases the API answers 201/200, 422, 409, 404, 403).</summary>
    internal static RecordSaveResult ToSaveResult(CommandResult<StoredRecord> result) => result.Outcome switch
    {
        CommandOutcome.Ok => RecordSaveResult.Saved(result.Value!.Id, result.Value.Version),
        CommandOutcome.Forbidden when result.Errors is { Count: > 0 } fields => RecordSaveResult.Invalid(fields),
        CommandOutcome.Invalid => RecordSaveResult.Invalid(result.Errors ?? new Dictionary<string, IReadOnlyList<string>>()),
        CommandOutcome.Conflict => new RecordSaveResult { Conflict = result.Detail ?? "conflict" },
        CommandOutcome.NotFound => new RecordSaveResult { Failure = "记录不存在或已被删除 / The record no longer exists." },
        _ => new RecordSaveResult { Failure = "无权执行此操作 / Not allowed." },
    };

    private async Task<(AppDefinition?, EntityDefinition?, RecordSaveResult?)> ResolveAsync(string app, string entity, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var entityDefinition = definition?.FindEntity(entity);
        return entityDefinition is null
            ? (null, null, new RecordSaveResult { Failure = $"没有应用 '{app}' 的实体 '{entity}' / No entity '{entity}' in app '{app}'." })
            : (definition, entityDefinition, null);
    }
}
